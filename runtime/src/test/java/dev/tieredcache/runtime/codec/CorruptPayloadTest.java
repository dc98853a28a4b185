package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import dev.tieredcache.runtime.codec.fixtures.Catalog;
import dev.tieredcache.runtime.codec.fixtures.Category;
import dev.tieredcache.runtime.codec.fixtures.Product;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes a Redis value holds, decoding returns a value or throws {@link CodecException}: never another
 * exception, never an allocation the payload cannot justify, never a hang. Random inputs use fixed seeds, so a
 * failure names a reproducible case.
 */
class CorruptPayloadTest {

  private static final ClassLoader LOADER = CorruptPayloadTest.class.getClassLoader();
  private static final Duration FUZZ_LIMIT = Duration.ofSeconds(10);

  private final ValueCodec catalogs = ValueCodec.forType(Catalog.class, List.of(), LOADER);
  private final ValueCodec anything = ValueCodec.forType(Object.class, List.of(Product.class.getName()), LOADER);

  private static Catalog catalog() {
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      products.add(Product.sample(i));
    }
    Map<String, List<Product>> bySection = new LinkedHashMap<>();
    bySection.put("front", List.of(products.get(0)));
    return new Catalog("c", products, bySection, new Product[] {products.get(1)}, Optional.of(products.get(2)),
        java.time.LocalDate.of(2025, 1, 1));
  }

  /** Valid payloads of several shapes, each with the codec that reads it. */
  private List<Object[]> samples() {
    Map<String, Object> row = new HashMap<>();
    row.put("n", 1L);
    row.put("s", "text \u00e9");
    row.put("d", new BigDecimal("3.14"));
    row.put("t", Instant.ofEpochMilli(1_700_000_000_000L));
    row.put("l", Arrays.asList(1, null, "x"));
    List<Object[]> samples = new ArrayList<>();
    samples.add(new Object[] {catalogs, catalogs.encode(catalog())});
    samples.add(new Object[] {anything, anything.encode(List.of(row, Map.of("k", List.of(1, 2))))});
    samples.add(new Object[] {anything, anything.encode(new Object[] {"a", 1, new int[] {1, 2}, new long[] {3},
        new String[] {"s"}, new boolean[] {true}, Category.BOOKS.name(), Product.sample(3)})});
    samples.add(new Object[] {anything, anything.encode("a plain string of some length \u4e2d")});
    return samples;
  }

  private static void decodeOrCodecException(ValueCodec codec, byte[] bytes, String what) {
    try {
      codec.decode(bytes);
    } catch (CodecException expected) {
      // fine: a miss
    } catch (Throwable other) {
      fail(what + " " + Arrays.toString(bytes) + " threw " + other, other);
    }
  }

  @Test
  void randomBytesNeverFailWithAnotherExceptionThanCodecException() {
    assertTimeoutPreemptively(FUZZ_LIMIT, () -> {
      Random random = new Random(20250101L);
      for (int i = 0; i < 3_000; i++) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        decodeOrCodecException(catalogs, bytes, "random input #" + i);
        decodeOrCodecException(anything, bytes, "random input #" + i);
      }
    });
  }

  @Test
  void mutatedPayloadsNeverFailWithAnotherExceptionThanCodecException() {
    assertTimeoutPreemptively(FUZZ_LIMIT, () -> {
      Random random = new Random(42L);
      for (Object[] sample : samples()) {
        ValueCodec codec = (ValueCodec) sample[0];
        byte[] valid = (byte[]) sample[1];
        for (int i = 0; i < 1_500; i++) {
          byte[] mutated = mutate(valid, random);
          decodeOrCodecException(codec, mutated, "mutation #" + i + " of a " + valid.length + "-byte payload");
        }
      }
    });
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] b = valid.clone();
    switch (random.nextInt(5)) {
      case 0:
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      case 1:
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        return b;
      case 2: {
        // a length-like byte: large varints are what could make a decoder allocate
        int at = random.nextInt(b.length);
        byte[] out = new byte[b.length + 4];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = (byte) 0xFF;
        out[at + 1] = (byte) 0xFF;
        out[at + 2] = (byte) 0xFF;
        out[at + 3] = (byte) 0x7F;
        System.arraycopy(b, at, out, at + 4, b.length - at);
        return out;
      }
      case 3: {
        int from = random.nextInt(b.length);
        int to = from + random.nextInt(b.length - from);
        byte[] out = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, to, out, from, b.length - to);
        return out;
      }
      default: {
        byte[] out = Arrays.copyOf(b, b.length + 1 + random.nextInt(8));
        for (int i = b.length; i < out.length; i++) {
          out[i] = (byte) random.nextInt(256);
        }
        return out;
      }
    }
  }

  @Test
  void everyTruncationOfAPayloadIsRefused() {
    for (Object[] sample : samples()) {
      ValueCodec codec = (ValueCodec) sample[0];
      byte[] valid = (byte[]) sample[1];
      for (int length = 0; length < valid.length; length++) {
        byte[] truncated = Arrays.copyOf(valid, length);
        assertThatThrownBy(() -> codec.decode(truncated)).as("first %d of %d bytes", length, valid.length)
            .isInstanceOf(CodecException.class);
      }
    }
  }

  @Test
  void trailingBytesAfterTheValueAreRefused() {
    byte[] valid = anything.encode("value");
    byte[] longer = Arrays.copyOf(valid, valid.length + 1);
    assertThatThrownBy(() -> anything.decode(longer)).isInstanceOf(CodecException.class)
        .hasMessageContaining("1 bytes left after the value");
  }

  /** A class header in Kryo's wire format, as an unrestricted Kryo writes it, followed by a huge length. */
  private static byte[] hugeLength(Class<?> type, boolean flagged) {
    Kryo plain = new Kryo();
    plain.setRegistrationRequired(false);
    Output out = new Output(64);
    plain.writeClass(out, type);
    if (flagged) {
      out.writeVarIntFlag(type == String.class, Integer.MAX_VALUE, true);
    } else {
      out.writeVarInt(Integer.MAX_VALUE, true);
    }
    out.writeByte(1);
    return out.toBytes();
  }

  @Test
  void lengthsLargerThanThePayloadAreRefusedBeforeAnythingIsAllocated() {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      List<byte[]> payloads = Arrays.asList(hugeLength(ArrayList.class, true), hugeLength(HashMap.class, false),
          hugeLength(LinkedHashMap.class, false), hugeLength(String.class, true), hugeLength(byte[].class, false),
          hugeLength(int[].class, false), hugeLength(long[].class, false), hugeLength(double[].class, false),
          hugeLength(char[].class, false), hugeLength(boolean[].class, false), hugeLength(String[].class, false),
          hugeLength(Object[].class, false), hugeLength(Arrays.asList().getClass(), true),
          hugeLength(List.of(1, 2, 3).getClass(), false), hugeLength(Map.of(1, 1, 2, 2).getClass(), false),
          hugeLength(java.math.BigInteger.class, false));
      for (byte[] payload : payloads) {
        for (int repeat = 0; repeat < 20; repeat++) {
          assertThatThrownBy(() -> anything.decode(payload)).as(Arrays.toString(payload))
              .isInstanceOf(CodecException.class);
        }
      }
    });
  }

  @Test
  void aFewBytesClaimingMillionsOfNullElementsAreRefused() {
    // Kryo's own format writes a collection of nulls as its size alone; this codec's spends a byte per element.
    Kryo plain = new Kryo();
    plain.setRegistrationRequired(false);
    Output out = new Output(64);
    plain.writeClassAndObject(out, new ArrayList<>(Arrays.asList(new Object[2_000_000])));
    byte[] payload = out.toBytes();
    assertThat(payload.length).isLessThan(64);
    assertThatThrownBy(() -> anything.decode(payload)).isInstanceOf(CodecException.class)
        .hasMessageContaining("does not fit");
    byte[] thousandNulls = anything.encode(new ArrayList<>(Arrays.asList(new Object[1_000])));
    assertThat(thousandNulls.length).isGreaterThanOrEqualTo(1_000);
    assertThat(anything.decode(thousandNulls)).isNotNull();
  }

  @Test
  void deeplyNestedPayloadIsRefusedWithoutOverflowingTheStack() throws Exception {
    List<Object> deep = new ArrayList<>();
    List<Object> current = deep;
    for (int i = 0; i < 5_000; i++) {
      List<Object> next = new ArrayList<>();
      current.add(next);
      current = next;
    }
    assertThatThrownBy(() -> anything.encode(deep)).isInstanceOf(CodecException.class);

    AtomicReference<byte[]> written = new AtomicReference<>();
    Thread writer = new Thread(null, () -> {
      Kryo plain = new Kryo();
      plain.setRegistrationRequired(false);
      Output out = new Output(1024, -1);
      plain.writeClassAndObject(out, deep);
      written.set(out.toBytes());
    }, "deep-writer", 256L << 20);
    writer.start();
    writer.join();
    assertThat(written.get()).isNotNull();
    // Kryo's own format, 5,000 deep: refused, whether by its format or its depth (HostilePayloadTest has both).
    assertThatThrownBy(() -> anything.decode(written.get())).isInstanceOf(CodecException.class);
  }

  @Test
  void decodingStillWorksAfterManyFailures() {
    Catalog c = catalog();
    byte[] valid = catalogs.encode(c);
    for (int i = 0; i < 100; i++) {
      decodeOrCodecException(catalogs, Arrays.copyOf(valid, valid.length / 2), "half payload");
    }
    assertThat(catalogs.decode(valid)).isEqualTo(c);
  }
}
