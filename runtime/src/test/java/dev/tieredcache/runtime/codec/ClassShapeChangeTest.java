package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values written by another version of the application: a class whose fields or enum constants changed is
 * refused (a miss) instead of decoding into wrong values; an unchanged class decodes across class loaders.
 * Records live here too: the test sources target Java 11, so they are compiled while the test runs, on 16+.
 */
class ClassShapeChangeTest {

  @TempDir
  Path dir;

  private ClassLoader compile(String version, Map<String, String> sources) throws Exception {
    return RuntimeCompiler.compile(dir.resolve(version), sources);
  }

  private static Object create(ClassLoader loader, String className, Object... args) throws Exception {
    Constructor<?> c = Class.forName(className, true, loader).getDeclaredConstructors()[0];
    c.setAccessible(true);
    return c.newInstance(args);
  }

  private static ValueCodec codec(ClassLoader loader, String className) throws Exception {
    return ValueCodec.forType(Class.forName(className, false, loader), List.of(), loader);
  }

  private static final String SHAPE_V1 = "package app; public class Shape {"
      + " String name; int count; Level level;"
      + " public Shape(String name, int count, Level level) { this.name = name; this.count = count; this.level = level; }"
      + " public String toString() { return name + count + level; } }";
  private static final String LEVEL_V1 = "package app; public enum Level { LOW, HIGH }";

  @Test
  void unchangedClassDecodesInAnotherLoader() throws Exception {
    ClassLoader writer = compile("a", Map.of("app.Shape", SHAPE_V1, "app.Level", LEVEL_V1));
    ClassLoader reader = compile("b", Map.of("app.Shape", SHAPE_V1, "app.Level", LEVEL_V1));
    Object high = Class.forName("app.Level", true, writer).getEnumConstants()[1];
    byte[] payload = codec(writer, "app.Shape").encode(create(writer, "app.Shape", "s", 3, high));

    Object decoded = codec(reader, "app.Shape").decode(payload);

    assertThat(decoded.getClass().getClassLoader()).isSameAs(reader);
    assertThat(decoded).hasToString("s3HIGH");
  }

  @Test
  void fieldAddedSinceTheValueWasWrittenMakesItAMiss() throws Exception {
    ClassLoader v1 = compile("v1", Map.of("app.Shape", SHAPE_V1, "app.Level", LEVEL_V1));
    ClassLoader v2 = compile("v2", Map.of("app.Level", LEVEL_V1, "app.Shape", "package app; public class Shape {"
        + " String name; long extra; int count; Level level;"
        + " public Shape(String name, int count, Level level) { this.name = name; this.count = count; } }"));
    byte[] payload = codec(v1, "app.Shape").encode(create(v1, "app.Shape", "s", 3, null));

    assertThatThrownBy(() -> codec(v2, "app.Shape").decode(payload)).isInstanceOf(CodecException.class)
        .hasMessageContaining("another shape of app.Shape");
  }

  @Test
  void fieldTypeChangedSinceTheValueWasWrittenMakesItAMiss() throws Exception {
    ClassLoader v1 = compile("v1", Map.of("app.Shape", SHAPE_V1, "app.Level", LEVEL_V1));
    ClassLoader v2 = compile("v2", Map.of("app.Level", LEVEL_V1, "app.Shape", "package app; public class Shape {"
        + " String name; long count; Level level;"
        + " public Shape(String name, int count, Level level) { this.name = name; this.count = count; } }"));
    byte[] payload = codec(v1, "app.Shape").encode(create(v1, "app.Shape", "s", 3, null));

    assertThatThrownBy(() -> codec(v2, "app.Shape").decode(payload)).isInstanceOf(CodecException.class)
        .hasMessageContaining("another shape of app.Shape");
  }

  @Test
  void reorderedEnumConstantsMakeItAMissInsteadOfAnotherConstant() throws Exception {
    ClassLoader v1 = compile("v1", Map.of("app.Shape", SHAPE_V1, "app.Level", LEVEL_V1));
    ClassLoader v2 = compile("v2", Map.of("app.Shape", SHAPE_V1, "app.Level", "package app; public enum Level { HIGH, LOW }"));
    Object low = Class.forName("app.Level", true, v1).getEnumConstants()[0];
    byte[] payload = codec(v1, "app.Shape").encode(create(v1, "app.Shape", "s", 1, low));

    assertThatThrownBy(() -> codec(v2, "app.Shape").decode(payload)).isInstanceOf(CodecException.class)
        .hasMessageContaining("another shape of app.Level");
  }

  private static void assumeRecords() {
    assumeTrue(Runtime.version().feature() >= 16, "records need Java 16+");
  }

  @Test
  void recordsRoundTripThroughTheirCanonicalConstructor() throws Exception {
    assumeRecords();
    ClassLoader loader = compile("r", Map.of(
        "app.Price", "package app; public record Price(String currency, long cents, java.util.List<String> notes) {"
            + " public Price { if (cents < 0) throw new IllegalArgumentException(\"negative\"); } }",
        "app.Offer", "package app; public record Offer(String id, Price price, java.util.Optional<Price> was) {}"));
    Object price = create(loader, "app.Price", "EUR", 1999L, List.of("promo"));
    Object offer = create(loader, "app.Offer", "o-1", price, Optional.of(create(loader, "app.Price", "EUR", 2499L, List.of())));
    ValueCodec offers = codec(loader, "app.Offer");

    assertThat(offers.decode(offers.encode(offer))).isEqualTo(offer);
  }

  @Test
  void recordWhoseCanonicalConstructorRejectsTheDecodedValuesIsAMiss() throws Exception {
    assumeRecords();
    ClassLoader lax = compile("lax", Map.of("app.Price", "package app; public record Price(String currency, long cents) {}"));
    ClassLoader strict = compile("strict", Map.of("app.Price", "package app; public record Price(String currency, long cents) {"
        + " public Price { if (cents < 0) throw new IllegalArgumentException(\"negative\"); } }"));
    byte[] payload = codec(lax, "app.Price").encode(create(lax, "app.Price", "EUR", -5L));

    assertThatThrownBy(() -> codec(strict, "app.Price").decode(payload)).isInstanceOf(CodecException.class);
  }

  @Test
  void reorderedRecordComponentsStillDecodeByName() throws Exception {
    assumeRecords();
    ClassLoader v1 = compile("v1", Map.of("app.Price", "package app; public record Price(String currency, long cents) {}"));
    ClassLoader v2 = compile("v2", Map.of("app.Price", "package app; public record Price(long cents, String currency) {}"));
    byte[] payload = codec(v1, "app.Price").encode(create(v1, "app.Price", "EUR", 1999L));

    assertThat(codec(v2, "app.Price").decode(payload)).hasToString("Price[cents=1999, currency=EUR]");
  }

  @Test
  void recordComponentAddedMakesItAMiss() throws Exception {
    assumeRecords();
    ClassLoader v1 = compile("v1", Map.of("app.Price", "package app; public record Price(String currency, long cents) {}"));
    ClassLoader v2 = compile("v2", Map.of("app.Price", "package app; public record Price(String currency, long cents, int vat) {}"));
    byte[] payload = codec(v1, "app.Price").encode(create(v1, "app.Price", "EUR", 1999L));

    assertThatThrownBy(() -> codec(v2, "app.Price").decode(payload)).isInstanceOf(CodecException.class)
        .hasMessageContaining("another shape of app.Price");
  }
}
