package dev.tieredcache.agent.instrument;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * Byte Buddy's type descriptions, parsed from class files, cached per class loader and shared by every class that
 * loader defines ({@link AgentBuilder.PoolStrategy.WithTypePoolCache}): matching {@code Type+} rules reads a class's
 * supertypes, and without this cache each class loaded would parse its supertypes' class files again
 * ({@code Object}, {@code Proxy}, a framework's base classes).
 *
 * <p>A cached description reaches its loader (through the class file locator it was read with), so the loaders are
 * weak keys whose caches are also soft and dropped a minute after their last use: a discarded loader (a redeploy)
 * is not kept reachable by this cache beyond that. Each loader's cache is bounded.
 */
final class TypePoolCaches extends AgentBuilder.PoolStrategy.WithTypePoolCache {

  /** Parsed types kept per loader: the common supertypes of an application stay, one-off classes go. */
  static final int TYPES_PER_LOADER = 8_192;

  private final Cache<ClassLoader, TypePool.CacheProvider> perLoader = Caffeine.newBuilder()
      .weakKeys()
      .softValues()
      .expireAfterAccess(Duration.ofMinutes(1))
      .executor(Runnable::run)
      .build();
  private final TypePool.CacheProvider bootstrap = bounded();

  TypePoolCaches() {
    super(TypePool.Default.ReaderMode.FAST);
  }

  @Override
  protected TypePool.CacheProvider locate(ClassLoader loader) {
    return loader == null ? bootstrap : perLoader.get(loader, l -> bounded());
  }

  private static TypePool.CacheProvider bounded() {
    TypePool.CacheProvider cache = new TypePool.CacheProvider.Simple(Caffeine.newBuilder()
        .maximumSize(TYPES_PER_LOADER)
        .executor(Runnable::run)
        .<String, TypePool.Resolution>build()
        .asMap());
    cache.register(Object.class.getName(), new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Object.class)));
    return cache;
  }

  // one instance per transformer; Byte Buddy compares strategies only to tell configurations apart
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
