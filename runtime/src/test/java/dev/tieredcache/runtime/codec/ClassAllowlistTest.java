package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.codec.fixtures.Catalog;
import dev.tieredcache.runtime.codec.fixtures.Category;
import dev.tieredcache.runtime.codec.fixtures.Envelope;
import dev.tieredcache.runtime.codec.fixtures.Product;
import dev.tieredcache.runtime.codec.fixtures.Widget;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which names a rule's payloads may hold, decided from the declared type and allow-types alone. */
class ClassAllowlistTest {

  private static final ClassLoader LOADER = ClassAllowlistTest.class.getClassLoader();

  /** Generic holders whose field and method types give declared types to walk. */
  static class Page<T> {
    List<T> items;
    Map<String, ? extends T> byKey;
  }

  static class Base {
    Category inherited;
  }

  static class Derived extends Base {
    transient Widget skipped;
    static Widget alsoSkipped;
  }

  static Page<Product> pageOfProducts() {
    return null;
  }

  private static Type returnTypeOf(String method) throws Exception {
    return ClassAllowlistTest.class.getDeclaredMethod(method).getGenericReturnType();
  }

  @Test
  void declaredTypeAndItsFieldTypesAreAllowedRecursively() {
    ClassAllowlist catalogs = ClassAllowlist.of(Catalog.class, List.of(), LOADER);

    assertThat(catalogs.allows(Catalog.class.getName())).isTrue();
    assertThat(catalogs.allows(Product.class.getName())).isTrue();
    assertThat(catalogs.allows(Category.class.getName())).isTrue();
    assertThat(catalogs.allows("[L" + Product.class.getName() + ";")).isTrue();
    assertThat(catalogs.allows(Widget.class.getName())).isFalse();
  }

  @Test
  void typeArgumentsOfTheReturnTypeAreAllowed() throws Exception {
    ClassAllowlist pages = ClassAllowlist.of(returnTypeOf("pageOfProducts"), List.of(), LOADER);

    assertThat(pages.allows(Page.class.getName())).isTrue();
    assertThat(pages.allows(Product.class.getName())).isTrue();
    assertThat(pages.allows(Category.class.getName())).isTrue();
  }

  @Test
  void superclassFieldsCountButStaticAndTransientOnesDoNot() {
    ClassAllowlist derived = ClassAllowlist.of(Derived.class, List.of(), LOADER);

    assertThat(derived.allows(Category.class.getName())).isTrue();
    assertThat(derived.allows(Widget.class.getName())).isFalse();
    assertThat(derived.allows(Base.class.getName())).isFalse();
  }

  @Test
  void objectAndInterfaceFieldsAllowOnlyTheirOwnName() {
    ClassAllowlist envelopes = ClassAllowlist.of(Envelope.class, List.of(), LOADER);

    assertThat(envelopes.allows("java.util.function.Supplier")).isTrue();
    assertThat(envelopes.allows(Widget.class.getName())).isFalse();
    assertThat(envelopes.allows("java.lang.Object")).isFalse();
  }

  @Test
  void safeJdkValuesAndCollectionsAreAlwaysAllowedButNotOtherJdkClasses() {
    ClassAllowlist none = ClassAllowlist.of(Object.class, List.of(), LOADER);

    for (String name : List.of("java.lang.String", "java.lang.Long", "java.math.BigDecimal", "java.util.UUID",
        "java.util.Optional", "java.time.Instant", "java.time.ZoneRegion", "java.util.ArrayList",
        "java.util.HashMap", "java.util.ImmutableCollections$ListN", "java.util.Collections$UnmodifiableMap",
        "[I", "[[J", "[Ljava.lang.String;", "[Ljava.lang.Object;", List.of(1).getClass().getName())) {
      assertThat(none.allows(name)).as(name).isTrue();
    }
    for (String name : List.of("java.lang.Object", "java.lang.Class", "java.lang.Runtime", "java.net.URL",
        "java.util.PriorityQueue", "java.time.chrono.JapaneseDate", "javax.script.ScriptEngineManager",
        "[Ljava.lang.Class;", "[X", "[", "[L;", "java.time.Ser")) {
      assertThat(none.allows(name)).as(name).isFalse();
    }
  }

  @Test
  void allowTypesTakesExactNamesAndPackagePrefixes() {
    ClassAllowlist listed = ClassAllowlist.of(Object.class,
        List.of(" com.acme.Exact ", "com.acme.dto.*", Product.class.getName()), LOADER);

    assertThat(listed.allows("com.acme.Exact")).isTrue();
    assertThat(listed.allows("com.acme.Exactly")).isFalse();
    assertThat(listed.allows("com.acme.dto.Order")).isTrue();
    assertThat(listed.allows("com.acme.dto.sub.Line$Item")).isTrue();
    assertThat(listed.allows("com.acme.dtos.Order")).isFalse();
    assertThat(listed.allows("com.acme.dto")).isFalse();
    assertThat(listed.allows(Category.class.getName())).as("field type of a listed class").isTrue();
  }
}
