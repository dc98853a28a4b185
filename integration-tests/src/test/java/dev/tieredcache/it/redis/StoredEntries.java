package dev.tieredcache.it.redis;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;

/**
 * Redis values in the agent's format (the runtime's {@link EntryCodec}, run in the test JVM): decodes what the agent
 * wrote, and encodes what a test plants under a key before an app reads it.
 */
final class StoredEntries {

  private StoredEntries() {}

  /** The entry in {@code bytes}, its value decoded as a rule returning {@code type} would. */
  static CacheEntry decode(byte[] bytes, Type type, String... allowTypes) {
    return codec(type, allowTypes).decode(bytes);
  }

  /** {@code value} as an entry written now, fresh for {@code fresh} and then stale for as long again. */
  static byte[] encode(Object value, Type type, Duration fresh) {
    long now = System.currentTimeMillis();
    long freshUntil = now + fresh.toMillis();
    return codec(type).encode(new CacheEntry(value, now, freshUntil, freshUntil + fresh.toMillis()));
  }

  private static EntryCodec codec(Type type, String... allowTypes) {
    return new EntryCodec(ValueCodec.forType(type, List.of(allowTypes), StoredEntries.class.getClassLoader()));
  }
}
