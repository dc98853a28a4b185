package dev.tieredcache.runtime.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tieredcache.runtime.codec.fixtures.Catalog;
import dev.tieredcache.runtime.codec.fixtures.Product;
import dev.tieredcache.runtime.fuzzing.PerInputLimits;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of what a Redis value's bytes become: whatever they hold, {@link ValueCodec#decode} and
 * {@link EntryCodec#decode} return a value or throw {@link CodecException}, within the bounds of
 * {@link PerInputLimits}. The first byte picks the decoder, the rest is its payload.
 *
 * <p>In {@code mvn verify} this runs the inputs kept under {@code ValueDecodingFuzzTestInputs/} in the test
 * resources (seeds, and every finding once fixed); {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class ValueDecodingFuzzTest {

  private static final ClassLoader LOADER = ValueDecodingFuzzTest.class.getClassLoader();
  /**
   * Beyond what every rule may decode: the fixtures. JDK classes cannot be added by allow-types (AllowTypesEntry
   * refuses them), so the JDK types fuzzed are those the codec decodes for every rule.
   */
  static final List<String> ALLOW_TYPES = List.of(Product.class.getPackageName() + ".*");
  private static final ValueCodec ANYTHING = ValueCodec.forType(Object.class, ALLOW_TYPES, LOADER);
  private static final ValueCodec CATALOGS = ValueCodec.forType(Catalog.class, List.of(), LOADER);
  private static final EntryCodec ENTRIES = new EntryCodec(ANYTHING);

  static {
    // Class loading and Kryo's first serializers cost more than one input may; pay for them up front.
    ANYTHING.decode(ANYTHING.encode(List.of(Product.sample(1), Arrays.asList(1L, "s", null))));
  }

  @FuzzTest(maxDuration = "5m")
  void decodeAnyBytes(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] payload = Arrays.copyOfRange(data, 1, data.length);
    PerInputLimits.check("decoding " + payload.length + " bytes", () -> {
      try {
        switch (Math.floorMod(data[0], 3)) {
          case 0:
            ANYTHING.decode(payload);
            break;
          case 1:
            CATALOGS.decode(payload);
            break;
          default:
            ENTRIES.decode(payload);
        }
      } catch (CodecException refused) {
        // a miss: the documented outcome for bytes that are not a value
      }
    });
  }
}
