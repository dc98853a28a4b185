package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import dev.tieredcache.runtime.codec.fixtures.Catalog;
import dev.tieredcache.runtime.codec.fixtures.Category;
import dev.tieredcache.runtime.codec.fixtures.Envelope;
import dev.tieredcache.runtime.codec.fixtures.Gadget;
import dev.tieredcache.runtime.codec.fixtures.GadgetSignals;
import dev.tieredcache.runtime.codec.fixtures.Product;
import dev.tieredcache.runtime.codec.fixtures.Widget;
import dev.tieredcache.runtime.codec.fixtures.extra.Voucher;
import dev.tieredcache.runtime.codec.fixtures.extra.deep.Badge;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decoding loads only the classes a rule allows, checked by name before loading; encoding applies the same rule. */
class ValueCodecAllowlistTest {

  private static final String WIDGET = Widget.class.getName();

  private final RecordingClassLoader loader = new RecordingClassLoader(getClass().getClassLoader());

  @AfterEach
  void gadgetWasNeverLoadedInitialisedOrConstructed() {
    assertThat(loader.requested).doesNotContain(Gadget.NAME);
    assertThat(GadgetSignals.any()).as("Gadget initialised, constructed or deserialized").isFalse();
  }

  /** A payload in Kryo's wire format that names {@code className} as the class of the top-level value. */
  static byte[] payloadNaming(String className) {
    Output out = new Output(256);
    out.writeVarInt(1, true); // class written by name (DefaultClassResolver.NAME + 2)
    out.writeVarInt(0, true); // first name in this payload
    out.writeString(className);
    out.writeLong(0L); // what would follow: a shape fingerprint, then fields
    out.writeVarInt(1, true);
    return out.toBytes();
  }

  /** {@code payload} with every occurrence of {@code from} replaced by {@code to}, which is as long. */
  static byte[] replaceAscii(byte[] payload, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    byte[] out = payload.clone();
    int replaced = 0;
    for (int i = 0; i + f.length <= out.length; i++) {
      boolean match = true;
      for (int j = 0; j < f.length && match; j++) {
        match = out[i + j] == f[j];
      }
      if (match) {
        System.arraycopy(t, 0, out, i, t.length);
        replaced++;
      }
    }
    assertThat(replaced).as("occurrences of %s", from).isPositive();
    return out;
  }

  @Test
  void payloadNamingAGadgetIsRefusedWithoutLoadingOrInitialisingIt() {
    ValueCodec products = ValueCodec.forType(Product.class, List.of(), loader);

    assertThatThrownBy(() -> products.decode(payloadNaming(Gadget.NAME)))
        .isInstanceOf(CodecException.class)
        .hasMessage("class " + Gadget.NAME + " is not allowed for this rule; add it to allow-types: if it is yours");
  }

  @Test
  void gadgetHiddenInAnObjectFieldOfAnAllowedValueIsRefused() {
    byte[] withWidget = ValueCodec.forType(Envelope.class, List.of(WIDGET), loader)
        .encode(new Envelope("label", new Widget(3)));
    // Same length, so the payload stays well formed: only the class name changes.
    byte[] withGadget = replaceAscii(withWidget, "fixtures.Widge", "fixtures.Gadge");
    ValueCodec envelopes = ValueCodec.forType(Envelope.class, List.of(WIDGET), loader);

    assertThatThrownBy(() -> envelopes.decode(withGadget))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("class " + Gadget.NAME + " is not allowed for this rule");
    assertThat(envelopes.decode(withWidget)).isEqualTo(new Envelope("label", new Widget(3)));
  }

  @Test
  void gadgetInACollectionOfAllowedElementsIsRefused() {
    List<Object> list = new ArrayList<>(List.of(Product.sample(1), new Widget(1)));
    byte[] withGadget = replaceAscii(ValueCodec.forType(Object.class, List.of(Product.class.getName(), WIDGET), loader)
        .encode(list), "fixtures.Widge", "fixtures.Gadge");

    assertThatThrownBy(() -> ValueCodec.forType(Catalog.class, List.of(), loader).decode(withGadget))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Gadget.NAME);
  }

  @Test
  void classOutsideTheAllowlistFailsAlreadyWhenEncoded() {
    ValueCodec envelopes = ValueCodec.forType(Envelope.class, List.of(), loader);

    assertThatThrownBy(() -> envelopes.encode(new Envelope("x", new Widget(1))))
        .isInstanceOf(CodecException.class)
        .hasMessage("class " + WIDGET + " is not allowed for this rule; add it to allow-types: if it is yours");
    assertThat(envelopes.decode(envelopes.encode(new Envelope("x", "a string is fine")))).isNotNull();
  }

  @Test
  void objectAndInterfaceTypedFieldsDoNotAllowTheirImplementations() {
    ValueCodec envelopes = ValueCodec.forType(Envelope.class, List.of(), loader);
    byte[] widgetPayload = ValueCodec.forType(Widget.class, List.of(), loader).encode(new Widget(2));

    assertThatThrownBy(() -> envelopes.decode(widgetPayload)).isInstanceOf(CodecException.class)
        .hasMessageContaining(WIDGET);
    assertThatThrownBy(() -> envelopes.encode(new Envelope("x", null, () -> "lambda")))
        .isInstanceOf(CodecException.class).hasMessageContaining("is not allowed for this rule");
  }

  @Test
  void exactAllowTypesEntryAdmitsThatClassOnly() {
    ValueCodec envelopes = ValueCodec.forType(Envelope.class, List.of(WIDGET), loader);
    Envelope e = new Envelope("x", new Widget(5));

    assertThat(envelopes.decode(envelopes.encode(e))).isEqualTo(e);
    assertThatThrownBy(() -> envelopes.encode(new Envelope("x", new Badge("red")))).isInstanceOf(CodecException.class);
  }

  @Test
  void packagePatternAdmitsTheClassesOfThatPackageAndItsSubPackages() {
    Voucher v = new Voucher("V-1", new Badge("gold"));
    byte[] payload = ValueCodec.forType(Voucher.class, List.of(Badge.class.getName()), loader).encode(v);

    ValueCodec withPattern = ValueCodec.forType(Object.class,
        List.of("dev.tieredcache.runtime.codec.fixtures.extra.*"), loader);
    ValueCodec withoutPattern = ValueCodec.forType(Object.class, List.of(), loader);
    ValueCodec withSiblingPattern = ValueCodec.forType(Object.class,
        List.of("dev.tieredcache.runtime.codec.fixtures.extr.*"), loader);

    assertThat(withPattern.decode(payload)).isEqualTo(v);
    assertThatThrownBy(() -> withoutPattern.decode(payload)).isInstanceOf(CodecException.class)
        .hasMessageContaining(Voucher.class.getName());
    assertThatThrownBy(() -> withSiblingPattern.decode(payload)).isInstanceOf(CodecException.class);
  }

  @Test
  void valueOfAnotherAllowedClassThanTheDeclaredOneIsRefused() {
    byte[] stringPayload = ValueCodec.forType(String.class, List.of(), loader).encode("not a product");
    ValueCodec products = ValueCodec.forType(Product.class, List.of(), loader);

    assertThatThrownBy(() -> products.decode(stringPayload)).isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.String").hasMessageContaining(Product.class.getName());
    assertThatThrownBy(() -> products.encode("not a product")).isInstanceOf(CodecException.class);
  }

  @Test
  void enumsAreAllowedOnlyWhenDeclaredOrListed() {
    byte[] enumPayload = ValueCodec.forType(Category.class, List.of(), loader).encode(Category.GAMES);

    assertThatThrownBy(() -> ValueCodec.forType(Object.class, List.of(), loader).decode(enumPayload))
        .isInstanceOf(CodecException.class).hasMessageContaining(Category.class.getName());
    assertThat(ValueCodec.forType(Product.class, List.of(), loader).encode(Product.sample(1))).isNotEmpty();
    assertThat(ValueCodec.forType(Object.class, List.of(Category.class.getName()), loader).decode(enumPayload))
        .isSameAs(Category.GAMES);
  }

  @Test
  void jdkClassesOutsideTheSafeSetAreRefused() {
    byte[] uriPayload = ValueCodec.forType(URI.class, List.of(), loader).encode(URI.create("http://example.invalid/"));
    ValueCodec anything = ValueCodec.forType(Object.class, List.of(), loader);

    for (String name : List.of("java.net.URI", "java.lang.Class", "java.lang.Runtime", "java.lang.ProcessBuilder",
        "javax.management.BadAttributeValueExpException", "java.util.PriorityQueue",
        "com.esotericsoftware.kryo.serializers.ClosureSerializer$Closure", "java.lang.invoke.SerializedLambda")) {
      assertThatThrownBy(() -> anything.decode(payloadNaming(name))).as(name).isInstanceOf(CodecException.class)
          .hasMessageContaining("class " + name + " is not allowed");
    }
    assertThatThrownBy(() -> anything.decode(uriPayload)).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> anything.encode(new ConcurrentHashMap<>(java.util.Map.of("k", Runtime.class))))
        .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Class");
  }

  @Test
  void comparatorOfASortedCollectionMustBeAllowedToo() {
    TreeSet<String> caseInsensitive = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.add("b");
    ValueCodec anything = ValueCodec.forType(Object.class, List.of(), loader);

    assertThatThrownBy(() -> anything.encode(caseInsensitive)).isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.String$CaseInsensitiveComparator");
    assertThatThrownBy(() -> anything.encode(Collections.unmodifiableSortedSet(caseInsensitive)))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void arraysFollowTheirElementType() {
    ValueCodec anything = ValueCodec.forType(Object.class, List.of(), loader);
    assertThat(anything.decode(anything.encode(new String[][] {{"a"}}))).isInstanceOf(String[][].class);
    assertThatThrownBy(() -> anything.decode(payloadNaming("[L" + Gadget.NAME + ";")))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> anything.decode(payloadNaming("[[L" + Gadget.NAME + ";")))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void malformedAllowTypesEntriesAreRejectedWithTheFix() {
    for (String bad : List.of("*", "", "com.acme.*.dto", "com..acme", "com.acme.**", ".*")) {
      assertThatThrownBy(() -> ValueCodec.forType(Object.class, List.of(bad), loader)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("com.acme.dto.*");
    }
    assertThatCode(() -> ValueCodec.forType(Object.class, List.of("com.acme.Outer$Inner", "com.acme.dto.*"), loader))
        .doesNotThrowAnyException();
  }

  /** Records every name it is asked to load, so a test can tell a refused class was never even looked up. */
  static final class RecordingClassLoader extends ClassLoader {
    final Set<String> requested = ConcurrentHashMap.newKeySet();

    RecordingClassLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      return super.loadClass(name, resolve);
    }
  }
}
