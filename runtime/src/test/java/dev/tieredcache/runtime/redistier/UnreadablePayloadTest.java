package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.codec.CodecException;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §5: whatever sits under a rule's key in Redis — garbage, a truncated value, another format version, a
 * class the rule does not allow, a value of another type — is a miss, never an exception to the caller, and the
 * load that follows overwrites it. A forbidden class is never loaded, initialised or constructed.
 */
class UnreadablePayloadTest extends OnOneRedisServer {

  private static final String GADGET = "dev.tieredcache.runtime.redistier.Gadget";
  private static final String KEY = "t:r:k";

  private final RecordingLoader loader = new RecordingLoader(UnreadablePayloadTest.class.getClassLoader());
  private RuleCache rule;

  @BeforeEach
  void openRule() {
    rule = instances.open("a", clock).addRule(Instances.policy().build());
    rule.bindValueType(String.class, loader);
  }

  static Stream<Arguments> unreadablePayloads() {
    return Stream.of(
        payload("garbage bytes", now -> "not a cache entry at all, just text".getBytes(StandardCharsets.UTF_8)),
        payload("an empty value", now -> new byte[0]),
        payload("a truncated valid entry", now -> {
          byte[] valid = entryOf("a string long enough to cut", now);
          return Arrays.copyOf(valid, valid.length - 5);
        }),
        payload("format version 99", now -> {
          byte[] valid = entryOf("v0", now);
          valid[2] = 99; // EntryCodec: magic (2 bytes), then the format version
          return valid;
        }),
        payload("an entry naming a forbidden class", UnreadablePayloadTest::entryNamingTheGadget),
        payload("a value of another type", now -> new EntryCodec(ValueCodec.forType(Integer.class, List.of(), null))
            .encode(new CacheEntry(7, now, now + 10_000, now + 20_000))),
        payload("a valid header with trailing bytes", now -> {
          byte[] valid = entryOf("v0", now);
          return Arrays.copyOf(valid, valid.length + 3);
        }),
        payload("an entry already past its stale limit", now -> entryOf("v0", now - 30_000, now - 20_000, now - 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadablePayloads")
  void unreadablePayloadIsAMissAndTheNextLoadOverwritesIt(String what, Function<Long, byte[]> payload) {
    jedis.set(KEY.getBytes(StandardCharsets.UTF_8), payload.apply(clock.millis()));

    Object answer = rule.begin("k", null, null, "k");

    assertThat(answer).as("begin on %s", what).isInstanceOf(Load.class);
    assertThat(rule.complete((Load) answer, "loaded", null)).isSameAs(RuleCache.AS_CALLED);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "loaded".equals(stored()));
    assertThat(GadgetTrace.initialized).as("Gadget initialised").isFalse();
    assertThat(GadgetTrace.constructed).as("Gadget constructed").isFalse();
    assertThat(loader.requested).doesNotContain(GADGET);
  }

  @Test
  void forgedGadgetEntryIsRefusedForItsClassNameAlone() {
    byte[] forged = entryNamingTheGadget(clock.millis());

    assertThatThrownBy(() -> new EntryCodec(ValueCodec.forType(String.class, List.of(), loader)).decode(forged))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("class " + GADGET + " is not allowed");
    assertThat(loader.requested).doesNotContain(GADGET);
    assertThat(GadgetTrace.initialized || GadgetTrace.constructed).isFalse();
  }

  private static Arguments payload(String what, Function<Long, byte[]> bytes) {
    return Arguments.of(what, bytes);
  }

  private static byte[] entryOf(String value, long now) {
    return entryOf(value, now, now + 10_000, now + 20_000);
  }

  private static byte[] entryOf(String value, long writtenAt, long freshUntil, long staleUntil) {
    return new EntryCodec(ValueCodec.forType(String.class, List.of(), null))
        .encode(new CacheEntry(value, writtenAt, freshUntil, staleUntil));
  }

  /**
   * A well-formed entry whose value names {@link Gadget}: a {@link Widget} entry with the class name swapped (the
   * names have the same length; the last character is left alone, as Kryo marks it). Encoding a real Gadget would
   * initialise it in this JVM and spoil the check.
   */
  private static byte[] entryNamingTheGadget(long now) {
    byte[] widget = new EntryCodec(ValueCodec.forType(Widget.class, List.of(), null))
        .encode(new CacheEntry(new Widget(3), now, now + 10_000, now + 20_000));
    byte[] from = "redistier.Widge".getBytes(StandardCharsets.US_ASCII);
    byte[] to = "redistier.Gadge".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + from.length <= widget.length; i++) {
      if (Arrays.equals(Arrays.copyOfRange(widget, i, i + from.length), from)) {
        System.arraycopy(to, 0, widget, i, to.length);
        return widget;
      }
    }
    throw new AssertionError("the Widget entry does not name its class");
  }

  private static Object stored() {
    byte[] bytes = jedis.get(KEY.getBytes(StandardCharsets.UTF_8));
    try {
      return bytes == null ? null : new EntryCodec(ValueCodec.forType(String.class, List.of(), null))
          .decode(bytes).value();
    } catch (RuntimeException stillTheOldPayload) {
      return null;
    }
  }

  /** The rule's class loader, remembering every class name it was asked for. */
  static final class RecordingLoader extends ClassLoader {
    final Set<String> requested = ConcurrentHashMap.newKeySet();

    RecordingLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      return super.loadClass(name, resolve);
    }
  }
}
