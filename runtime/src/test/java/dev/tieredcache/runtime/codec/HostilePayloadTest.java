package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Payloads crafted by someone who can write to Redis, each of which once cost seconds of decoding (measured on
 * the codec before this test: a 47-byte copy-on-write list 1.3 s, a 4 KB one 5.1 s; strings sharing a hash code
 * quadratic in {@code Set.of}; nesting 512 deep overflowed a 256 KB stack; a URL field let a payload choose host
 * names to resolve). Each now decodes or fails with a {@link CodecException} within {@value #MAX_MILLIS} ms: the
 * fastest of {@value #RUNS} runs after {@value #WARM_UPS} warm-up runs is measured, so a loaded machine does not
 * make the test flaky, while a quadratic or unbounded decode still fails it many times over.
 */
class HostilePayloadTest {

  private static final ClassLoader LOADER = HostilePayloadTest.class.getClassLoader();
  private static final long MAX_MILLIS = 10;
  private static final int RUNS = 10;
  private static final int WARM_UPS = 5;

  private final ValueCodec anything = ValueCodec.forType(Object.class, List.of(), LOADER);

  /** The fastest of {@value #RUNS} runs of {@code decode} after {@value #WARM_UPS} more, in milliseconds. */
  private static double fastestMillis(Runnable decode) {
    for (int i = 0; i < WARM_UPS; i++) {
      decode.run();
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      decode.run();
      best = Math.min(best, System.nanoTime() - start);
    }
    return best / 1e6;
  }

  private static void refusedQuickly(ValueCodec codec, byte[] payload, String messagePart) {
    double millis = fastestMillis(() -> assertThatThrownBy(() -> codec.decode(payload))
        .isInstanceOf(CodecException.class).hasMessageContaining(messagePart));
    System.out.printf("refused %d bytes in %.2f ms (%s)%n", payload.length, millis, messagePart);
    assertThat(millis).as("fastest refusal of a %d-byte payload, ms", payload.length).isLessThan(MAX_MILLIS);
  }

  private static Object decodedQuickly(ValueCodec codec, byte[] payload) {
    AtomicReference<Object> decoded = new AtomicReference<>();
    double millis = fastestMillis(() -> decoded.set(codec.decode(payload)));
    System.out.printf("decoded %d bytes in %.2f ms%n", payload.length, millis);
    assertThat(millis).as("fastest decode of a %d-byte payload, ms", payload.length).isLessThan(MAX_MILLIS);
    return decoded.get();
  }

  /** The class header as Kryo writes it the first time a payload names {@code type}. */
  private static byte[] classHeader(Class<?> type) {
    Kryo plain = new Kryo();
    plain.setRegistrationRequired(false);
    Output out = new Output(64);
    plain.writeClass(out, type);
    return out.toBytes();
  }

  /** {@code payload} of a list, with its class header replaced by the header of {@code type}. */
  private byte[] asClass(Class<?> type, byte[] listPayload) {
    byte[] listHeader = classHeader(ArrayList.class);
    assertThat(Arrays.copyOf(listPayload, listHeader.length)).isEqualTo(listHeader);
    byte[] header = classHeader(type);
    byte[] out = Arrays.copyOf(header, header.length + listPayload.length - listHeader.length);
    System.arraycopy(listPayload, listHeader.length, out, header.length, listPayload.length - listHeader.length);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    Output out = new Output(64, -1);
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toBytes();
  }

  private static byte[] varInt(int value) {
    Output out = new Output(8);
    out.writeVarInt(value, true);
    return out.toBytes();
  }

  @Test
  void aFewBytesClaimingAMillionElementsAreRefusedBeforeAnythingIsAllocated() {
    List<Class<?>> types = Arrays.asList(ArrayList.class, CopyOnWriteArrayList.class, HashSet.class, HashMap.class,
        Object[].class, String[].class, Arrays.asList().getClass(), List.of(1, 2, 3).getClass(),
        Set.of(1, 2, 3).getClass(), Map.of(1, 1, 2, 2).getClass(),
        Collections.unmodifiableList(new ArrayList<>()).getClass());
    for (Class<?> type : types) {
      // the size, then a few nulls: Kryo's own format wrote an all-null collection as its size alone
      byte[] payload = concat(classHeader(type), varInt(1 << 20), new byte[] {0, 0, 0});
      refusedQuickly(anything, payload, "does not fit");
    }
  }

  @Test
  void anAllNullCollectionSpendsOneBytePerElement() {
    List<Object> nulls = new ArrayList<>(Arrays.asList(new Object[10_000]));
    byte[] payload = anything.encode(nulls);
    assertThat(payload.length).isGreaterThanOrEqualTo(10_000);
    assertThat(decodedQuickly(anything, payload)).isEqualTo(nulls);
  }

  @Test
  void theCopyOnWriteListThatTookSecondsIsRefusedAtOnce() {
    // Kryo's own format: 66,000 nulls in a few bytes, which the old codec's element budget let through and then
    // rebuilt by 66,000 add() calls, each copying the array.
    Kryo plain = new Kryo();
    plain.setRegistrationRequired(false);
    Output out = new Output(64);
    plain.writeClassAndObject(out, new CopyOnWriteArrayList<>(new Object[66_000]));
    byte[] payload = out.toBytes();
    assertThat(payload.length).isLessThan(64);
    refusedQuickly(anything, payload, "does not fit");
  }

  @Test
  void aLargeCopyOnWriteListIsBuiltInOneGo() {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      numbers.add(i % 100);
    }
    CopyOnWriteArrayList<Integer> list = new CopyOnWriteArrayList<>(numbers);
    Object decoded = decodedQuickly(anything, anything.encode(list));
    assertThat(decoded).isEqualTo(list).hasSameClassAs(list);
  }

  /** {@code 2^blocks} distinct strings with one hash code: every string of "Aa"/"BB" blocks hashes alike. */
  private static List<String> collidingStrings(int blocks) {
    List<String> strings = new ArrayList<>();
    for (int bits = 0; bits < 1 << blocks; bits++) {
      StringBuilder s = new StringBuilder();
      for (int b = 0; b < blocks; b++) {
        s.append((bits >> b & 1) == 0 ? "Aa" : "BB");
      }
      strings.add(s.toString());
    }
    assertThat(new HashSet<>(strings.subList(0, 2))).hasSize(2);
    assertThat(strings.get(0).hashCode()).isEqualTo(strings.get(strings.size() - 1).hashCode());
    return strings;
  }

  @Test
  void stringsSharingAHashCodeAreRefusedInEveryHashedCollection() {
    // 4,096 strings, 24 chars each (about 0.1 MB): 8 million equals calls for Set.of
    List<String> colliding = collidingStrings(12);
    byte[] list = anything.encode(new ArrayList<>(colliding));
    for (Class<?> type : Arrays.asList(Set.of(1, 2, 3).getClass(), HashSet.class,
        Collections.unmodifiableSet(new HashSet<>()).getClass())) {
      refusedQuickly(anything, asClass(type, list), "share a hash code");
    }
    Map<String, Integer> map = new LinkedHashMap<>();
    for (String s : colliding) {
      map.put(s, 1);
    }
    // encoded as a LinkedHashMap, then named as another map with the same wire form
    byte[] mapPayload = anything.encode(map);
    byte[] header = classHeader(LinkedHashMap.class);
    byte[] body = Arrays.copyOfRange(mapPayload, header.length, mapPayload.length);
    refusedQuickly(anything, mapPayload, "share a hash code");
    refusedQuickly(anything, concat(classHeader(HashMap.class), body), "share a hash code");
    refusedQuickly(anything, concat(classHeader(Map.of(1, 1, 2, 2).getClass()), body), "share a hash code");
  }

  @Test
  void aFewStringsSharingAHashCodeStillDecode() {
    Set<String> set = new HashSet<>(collidingStrings(6)); // 64: the most one hash code may have
    assertThat(decodedQuickly(anything, anything.encode(set))).isEqualTo(set);
  }

  @Test
  void distinctHashCodesCrowdingOneSlotOfSetOfAreReadAsAnotherUnmodifiableSet() {
    // Integers hash to themselves; multiples of 2n all start probing Set.of's 2n-slot table at slot 0.
    int n = 5_000;
    List<Integer> crowded = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      crowded.add(i * 2 * n);
    }
    byte[] payload = asClass(Set.of(1, 2, 3).getClass(), anything.encode(crowded));
    Object decoded = decodedQuickly(anything, payload);
    assertThat(decoded).isEqualTo(new HashSet<>(crowded)).doesNotHaveSameClassAs(Set.of(1, 2, 3));
    assertThatThrownBy(() -> ((Set<Object>) decoded).add(1)).isInstanceOf(UnsupportedOperationException.class);

    Set<Integer> ordinary = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ordinary.add(i * 7919);
    }
    Set<Integer> immutable = Set.copyOf(ordinary);
    assertThat(anything.decode(anything.encode(immutable))).isEqualTo(immutable).hasSameClassAs(immutable);
  }

  /** Nested single-element lists {@code depth} deep, in this codec's format, without its encoder's depth limit. */
  private byte[] nestedLists(int depth) {
    byte[] two = anything.encode(nest(2));
    byte[] three = anything.encode(nest(3));
    int prefix = 0;
    while (two[prefix] == three[prefix]) {
      prefix++;
    }
    int segment = three.length - two.length;
    Output out = new Output(two.length + depth * segment, -1);
    out.writeBytes(two, 0, prefix);
    for (int i = 2; i < depth; i++) {
      out.writeBytes(three, prefix, segment);
    }
    out.writeBytes(two, prefix, two.length - prefix);
    return out.toBytes();
  }

  private static List<Object> nest(int depth) {
    List<Object> outer = new ArrayList<>();
    List<Object> current = outer;
    for (int i = 1; i < depth; i++) {
      List<Object> next = new ArrayList<>();
      current.add(next);
      current = next;
    }
    return outer;
  }

  @Test
  void nestingBeyondTheDepthLimitIsRefusedAtOnce() {
    assertThat(anything.decode(nestedLists(10))).isEqualTo(nest(10));
    refusedQuickly(anything, nestedLists(5_000), "depth");
  }

  /** Runs {@code task} on a thread with a 256 KB stack, as a host's small worker threads may have. */
  private static <T> T onSmallStack(Supplier<T> task) throws InterruptedException {
    AtomicReference<Object> result = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        result.set(task.get());
      } catch (Throwable t) {
        result.set(t);
      }
    }, "small-stack", 256 * 1024);
    thread.start();
    thread.join();
    if (result.get() instanceof Throwable) {
      throw new AssertionError("on a 256 KB stack", (Throwable) result.get());
    }
    @SuppressWarnings("unchecked")
    T t = (T) result.get();
    return t;
  }

  @Test
  void theDeepestValueAllowedDecodesOnA256KbStack() throws Exception {
    int deepest = 1;
    while (encodes(nest(deepest + 1))) {
      deepest++;
    }
    assertThat(deepest).isLessThanOrEqualTo(ValueCodec.MAX_DEPTH);
    byte[] lists = nestedLists(deepest);
    assertThat(onSmallStack(() -> anything.decode(lists))).isEqualTo(nest(deepest));
    // One level more is refused, on the small stack too, by the depth limit and not by a stack overflow.
    byte[] tooDeep = nestedLists(deepest + 1);
    String refusal = onSmallStack(() -> {
      try {
        anything.decode(tooDeep);
        return "decoded";
      } catch (CodecException e) {
        return e.getMessage();
      }
    });
    assertThat(refusal).contains("depth");

    // Objects nest deeper per level than lists do (field serializers, shape checks): a chain of links.
    ValueCodec links = ValueCodec.forType(Link.class, List.of(), LOADER);
    int deepestLinks = 1;
    while (encodes(links, Link.chain(deepestLinks + 1))) {
      deepestLinks++;
    }
    byte[] chain = links.encode(Link.chain(deepestLinks));
    assertThat(onSmallStack(() -> ((Link) links.decode(chain)).length())).isEqualTo(deepestLinks);
  }

  private boolean encodes(Object value) {
    return encodes(anything, value);
  }

  private static boolean encodes(ValueCodec codec, Object value) {
    try {
      codec.encode(value);
      return true;
    } catch (CodecException tooDeep) {
      return false;
    }
  }

  /** One link of a chain; its field is typed Object, so each link also writes its class. */
  static final class Link {
    Object next;

    static Link chain(int length) {
      Link head = new Link();
      for (int i = 1; i < length; i++) {
        Link link = new Link();
        link.next = head;
        head = link;
      }
      return head;
    }

    int length() {
      int n = 0;
      for (Object l = this; l != null; l = ((Link) l).next) {
        n++;
      }
      return n;
    }
  }

  @Test
  void aStackOverflowWhileDecodingIsAMiss() throws Exception {
    byte[] deep = nestedLists(60);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread tiny = new Thread(null, () -> {
      try {
        anything.decode(deep);
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "tiny-stack", 16 * 1024);
    tiny.start();
    tiny.join();
    // On a 16 KB stack 60 levels overflow; whatever happens, the caller sees a CodecException or a value.
    if (thrown.get() != null) {
      assertThat(thrown.get()).isInstanceOf(CodecException.class);
    }
    assertThat(anything.decode(deep)).isEqualTo(nest(60));
  }

  /** A class whose constructor fails with an Error while armed; Kryo runs a no-arg constructor when there is one. */
  static final class FailsToConstruct {
    static volatile boolean armed;
    int n;

    FailsToConstruct() {
      if (armed) {
        throw new OutOfMemoryError("from the constructor");
      }
    }
  }

  @Test
  void anErrorWhileDecodingIsAMiss() {
    ValueCodec codec = ValueCodec.forType(FailsToConstruct.class, List.of(), LOADER);
    byte[] payload = codec.encode(new FailsToConstruct());
    FailsToConstruct.armed = true;
    try {
      assertThatThrownBy(() -> codec.decode(payload)).isInstanceOf(CodecException.class)
          .hasRootCauseInstanceOf(OutOfMemoryError.class).hasRootCauseMessage("from the constructor");
    } finally {
      FailsToConstruct.armed = false;
    }
    assertThat(codec.decode(payload)).isInstanceOf(FailsToConstruct.class);
  }

  /** A DTO with a URL: URL's equals and hashCode resolve the host name. */
  static final class Bookmark {
    String title;
    URL url;
  }

  @Test
  void aUrlIsNeitherStoredNorReadEvenWhereAFieldDeclaresIt() throws Exception {
    ValueCodec bookmarks = ValueCodec.forType(Bookmark.class, List.of(), LOADER);
    Bookmark b = new Bookmark();
    b.title = "t";
    b.url = new URL("http://example.invalid/");
    assertThatThrownBy(() -> bookmarks.encode(b)).isInstanceOf(CodecException.class)
        .hasMessageContaining("java.net.URL").hasMessageContaining("java.net.URI");

    // URL is final, so a URL field holds no class name, only the URL itself: the payload is what a Bookmark
    // without a URL encodes to, its last byte (the null of 'url', fields are in name order) replaced by a URL.
    b.url = null;
    byte[] withoutUrl = bookmarks.encode(b);
    assertThat(withoutUrl[withoutUrl.length - 1]).isEqualTo((byte) 0);
    Output url = new Output(64);
    url.writeByte(1);
    url.writeString("http://chosen-by-the-payload.example/");
    byte[] payload = concat(Arrays.copyOf(withoutUrl, withoutUrl.length - 1), url.toBytes());
    refusedQuickly(bookmarks, payload, "java.net.URL");
    // and where the payload names the class
    Kryo plain = new Kryo();
    plain.setRegistrationRequired(false);
    Output named = new Output(128);
    plain.writeClassAndObject(named, new URL("http://chosen-by-the-payload.example/"));
    refusedQuickly(anything, named.toBytes(), "java.net.URL");
  }

  /**
   * Keys that hold hashed sets or maps: hashing one walks all of it, and comparing two looks their inner keys up in
   * each other, comparing the inner keys that share a hash code, level after level. The payload fuzzing found
   * (1,595 bytes, maps keyed by maps down to {@code List1}, {@code BigDecimal} and {@code Instant}) cost 31-36 ms of
   * CPU on every decode before such keys were refused.
   */
  @Test
  void keysHoldingHashedSetsOrMapsAreRefusedAtOnce() throws Exception {
    byte[] found;
    try (java.io.InputStream in = getClass().getResourceAsStream(
        "ValueDecodingFuzzTestInputs/decodeAnyBytes/regression-maps-keyed-by-maps")) {
      found = in.readAllBytes();
    }
    ValueCodec fixtures = ValueCodec.forType(Object.class, ValueDecodingFuzzTest.ALLOW_TYPES, LOADER);
    refusedQuickly(fixtures, Arrays.copyOfRange(found, 1, found.length), "holds a hashed set or map");

    Map<Map<String, String>, Integer> mapKeys = new HashMap<>();
    mapKeys.put(Map.of("a", "a"), 1);
    refusedQuickly(anything, anything.encode(mapKeys), "holds a hashed set or map");
    Set<List<Set<String>>> deepInside = new HashSet<>();
    deepInside.add(List.of(Set.of("x")));
    refusedQuickly(anything, anything.encode(deepInside), "holds a hashed set or map");
    refusedQuickly(anything, anything.encode(Set.of(new HashSet<>(Set.of("x")))), "holds a hashed set or map");

    // copy-on-read copies its own bytes, not someone else's: such a value is still copied
    Object copy = anything.copy(mapKeys);
    assertThat(copy).isEqualTo(mapKeys).isNotSameAs(mapKeys);
    assertThat(anything.copy(deepInside)).isEqualTo(deepInside);
  }

  @Test
  void keysWithoutHashedContainersInsideStillDecode() {
    Map<List<String>, Set<String>> listKeys = new HashMap<>();
    listKeys.put(List.of("a", "b"), Set.of("values", "may", "be", "sets"));
    assertThat(anything.decode(anything.encode(listKeys))).isEqualTo(listKeys);
    Set<Object> mixed = new HashSet<>(List.of(List.of(1, 2), new java.util.TreeSet<>(Set.of("s")), "t"));
    assertThat(anything.decode(anything.encode(mixed))).isEqualTo(mixed);
    Map<String, Map<String, Set<Integer>>> nestedValues = Map.of("k", Map.of("l", Set.of(1, 2)));
    assertThat(anything.decode(anything.encode(nestedValues))).isEqualTo(nestedValues);
    java.util.TreeMap<String, Map<String, String>> sorted = new java.util.TreeMap<>(Map.of("k", Map.of("a", "b")));
    assertThat(anything.decode(anything.encode(sorted))).isEqualTo(sorted);
  }
}
