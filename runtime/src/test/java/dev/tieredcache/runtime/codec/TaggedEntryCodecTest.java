package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.codec.fixtures.Product;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3 "Tags", §5: an entry with tags is written as format 3 (the tags between the header and the value); one
 * without keeps format 2, which older versions read. Truncated or hostile tag bytes are a {@link CodecException}
 * (a miss), never another exception or an allocation larger than the input.
 */
class TaggedEntryCodecTest {

  private static final long WRITTEN = 1_700_000_000_000L;
  private static final long FRESH = WRITTEN + 30_000;
  private static final long STALE = FRESH + 3_600_000;

  private final EntryCodec entries =
      new EntryCodec(ValueCodec.forType(Product.class, List.of(), getClass().getClassLoader()));

  private byte[] tagged(String... tags) {
    return entries.encode(new CacheEntry(Product.sample(1), WRITTEN, FRESH, STALE, tags));
  }

  @Test
  void tagsRoundTripWithTheValueAndTimes() {
    CacheEntry decoded = entries.decode(tagged("category:7", "product:42", "ünïcode"));

    assertThat(decoded.tags()).containsExactly("category:7", "product:42", "ünïcode");
    assertThat(decoded.value()).isEqualTo(Product.sample(1));
    assertThat(decoded.writtenAt()).isEqualTo(WRITTEN);
    assertThat(decoded.freshUntil()).isEqualTo(FRESH);
    assertThat(decoded.staleUntil()).isEqualTo(STALE);
  }

  @Test
  void anEntryWithTagsIsFormat3AndOneWithoutStaysFormat2() {
    assertThat(tagged("t")[2]).isEqualTo((byte) EntryCodec.TAGGED_FORMAT_VERSION);
    byte[] plain = entries.encode(new CacheEntry(Product.sample(1), WRITTEN, FRESH, STALE));
    assertThat(plain[2]).isEqualTo((byte) EntryCodec.FORMAT_VERSION);
    assertThat(entries.decode(plain).tags()).isNull();
    assertThat(entries.encode(new CacheEntry(Product.sample(1), WRITTEN, FRESH, STALE, new String[0])))
        .as("no tags at all: format 2").isEqualTo(plain);
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] whole = tagged("category:7", "product:42");
    for (int length = 0; length < whole.length; length++) {
      byte[] cut = Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> entries.decode(cut)).as("cut to %d bytes", length)
          .isInstanceOf(CodecException.class);
    }
  }

  @Test
  void hostileTagCountsAndLengthsAreRefused() {
    byte[] whole = tagged("category:7");
    int at = EntryCodec.HEADER_LENGTH;
    for (int count : new int[] {0, EntryCodec.MAX_TAGS + 1, 255}) {
      byte[] bytes = whole.clone();
      bytes[at] = (byte) count;
      assertThatThrownBy(() -> entries.decode(bytes)).isInstanceOf(CodecException.class)
          .hasMessageContaining("tags");
    }
    for (int length : new int[] {0, EntryCodec.MAX_TAG_BYTES + 1, 0xffff, 10_000}) {
      byte[] bytes = whole.clone();
      bytes[at + 1] = (byte) (length >>> 8);
      bytes[at + 2] = (byte) length;
      assertThatThrownBy(() -> entries.decode(bytes)).isInstanceOf(CodecException.class);
    }
  }

  @Test
  void randomBytesAfterATaggedHeaderCostAnExceptionOfTheCodecOnly() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      byte[] header = Arrays.copyOf(tagged("t"), EntryCodec.HEADER_LENGTH);
      Random random = new Random(11L);
      for (int i = 0; i < 3_000; i++) {
        byte[] bytes = Arrays.copyOf(header, EntryCodec.HEADER_LENGTH + random.nextInt(200));
        for (int j = EntryCodec.HEADER_LENGTH; j < bytes.length; j++) {
          bytes[j] = (byte) random.nextInt(256);
        }
        try {
          entries.decode(bytes);
        } catch (CodecException refused) {
          // a miss, as it should be
        }
      }
    });
  }

  @Test
  void tooManyOrTooLongTagsAreNotWritten() {
    String[] many = new String[EntryCodec.MAX_TAGS + 1];
    Arrays.fill(many, "t");
    assertThatThrownBy(() -> tagged(many)).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> tagged("x".repeat(EntryCodec.MAX_TAG_BYTES + 1))).isInstanceOf(CodecException.class);
  }
}
