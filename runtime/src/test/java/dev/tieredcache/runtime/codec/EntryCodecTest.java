package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.codec.fixtures.Product;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A Redis value is a versioned header and the value; anything that is not exactly that is refused. */
class EntryCodecTest {

  private static final long WRITTEN = 1_700_000_000_000L;
  private static final long FRESH = WRITTEN + 30_000;
  private static final long STALE = FRESH + 3_600_000;

  private final EntryCodec entries =
      new EntryCodec(ValueCodec.forType(Product.class, List.of(), getClass().getClassLoader()));

  private byte[] validEntry() {
    return entries.encode(new CacheEntry(Product.sample(1), WRITTEN, FRESH, STALE));
  }

  @Test
  void entryRoundTripsWithItsValueAndTimes() {
    CacheEntry decoded = entries.decode(validEntry());

    assertThat(decoded.value()).isEqualTo(Product.sample(1));
    assertThat(decoded.writtenAt()).isEqualTo(WRITTEN);
    assertThat(decoded.freshUntil()).isEqualTo(FRESH);
    assertThat(decoded.staleUntil()).isEqualTo(STALE);
  }

  @Test
  void entryOfNullRoundTrips() {
    assertThat(entries.decode(entries.encode(new CacheEntry(null, WRITTEN, FRESH, STALE))).value()).isNull();
  }

  @Test
  void extremeTimesRoundTrip() {
    CacheEntry e = entries.decode(entries.encode(new CacheEntry(null, Long.MIN_VALUE, -1, Long.MAX_VALUE)));
    assertThat(e.writtenAt()).isEqualTo(Long.MIN_VALUE);
    assertThat(e.freshUntil()).isEqualTo(-1);
    assertThat(e.staleUntil()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void headerIsLaidOutAsDocumented() {
    byte[] bytes = validEntry();
    ByteBuffer header = ByteBuffer.wrap(bytes);

    assertThat(header.get() & 0xff).isEqualTo(0xF5);
    assertThat(header.get() & 0xff).isEqualTo(0xCC);
    assertThat(header.get()).isEqualTo((byte) 2);
    assertThat(header.getLong()).isEqualTo(WRITTEN);
    assertThat(header.getLong()).isEqualTo(FRESH);
    assertThat(header.getLong()).isEqualTo(STALE);
    assertThat(header.position()).isEqualTo(EntryCodec.HEADER_LENGTH);
    byte[] payload = Arrays.copyOfRange(bytes, EntryCodec.HEADER_LENGTH, bytes.length);
    assertThat(ValueCodec.forType(Product.class, List.of(), getClass().getClassLoader()).decode(payload)).isEqualTo(Product.sample(1));
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] valid = validEntry();
    for (int length = 0; length < valid.length; length++) {
      byte[] truncated = Arrays.copyOf(valid, length);
      assertThatThrownBy(() -> entries.decode(truncated)).as("first %d of %d bytes", length, valid.length)
          .isInstanceOf(CodecException.class);
    }
    assertThatThrownBy(() -> entries.decode(new byte[3])).hasMessageContaining("truncated entry: 3 bytes");
    assertThatThrownBy(() -> entries.decode(null)).isInstanceOf(CodecException.class);
  }

  @Test
  void wrongMagicIsRefused() {
    for (int at : new int[] {0, 1}) {
      byte[] bytes = validEntry();
      bytes[at] ^= 0x01;
      assertThatThrownBy(() -> entries.decode(bytes)).isInstanceOf(CodecException.class)
          .hasMessageContaining("not a tiered-cache entry");
    }
    byte[] json = "{\"sku\":\"SKU-1\",\"name\":\"Product 1\",\"price\":19.91}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> entries.decode(json)).hasMessageContaining("not a tiered-cache entry");
  }

  @Test
  void olderAndFutureFormatVersionsAreRefused() {
    for (int version : new int[] {0, 1, 4, 99, 255}) {
      byte[] bytes = validEntry();
      bytes[2] = (byte) version;
      assertThatThrownBy(() -> entries.decode(bytes)).isInstanceOf(CodecException.class)
          .hasMessage("entry format version " + version + " is not readable by this version, which reads 2 and 3"
              + " only");
    }
  }

  @Test
  void staleLimitBeforeFreshLimitIsRefused() {
    byte[] bytes = validEntry();
    ByteBuffer.wrap(bytes).putLong(19, FRESH - 1);
    assertThatThrownBy(() -> entries.decode(bytes)).isInstanceOf(CodecException.class)
        .hasMessageContaining("before it stops being fresh");
    assertThatThrownBy(() -> entries.encode(new CacheEntry(null, WRITTEN, FRESH, FRESH - 1)))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void valueOfAnotherRuleIsRefused() {
    byte[] ofStrings = new EntryCodec(ValueCodec.forType(String.class, List.of(), null))
        .encode(new CacheEntry("text", WRITTEN, FRESH, STALE));
    assertThatThrownBy(() -> entries.decode(ofStrings)).isInstanceOf(CodecException.class);
  }

  @Test
  void garbageBehindAValidHeaderIsOnlyEverACodecException() {
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      byte[] header = Arrays.copyOf(validEntry(), EntryCodec.HEADER_LENGTH);
      Random random = new Random(7L);
      for (int i = 0; i < 3_000; i++) {
        byte[] bytes = Arrays.copyOf(header, EntryCodec.HEADER_LENGTH + random.nextInt(120));
        for (int j = EntryCodec.HEADER_LENGTH; j < bytes.length; j++) {
          bytes[j] = (byte) random.nextInt(256);
        }
        if (random.nextInt(4) == 0) {
          // sometimes fully random, header included
          random.nextBytes(bytes);
        }
        try {
          entries.decode(bytes);
        } catch (CodecException expected) {
          // a miss
        } catch (Throwable other) {
          fail("input #" + i + " " + Arrays.toString(bytes) + " threw " + other, other);
        }
      }
    });
  }
}
