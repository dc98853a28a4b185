package dev.tieredcache.agent.instrument;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Whether a class loader can see a type, by name: a lookup of its class file as a resource through the loader (as
 * the OpenTelemetry agent's {@code hasClassesNamed} does), answered once per loader and name. A class whose loader
 * cannot see {@code com.acme.Repo} cannot extend or implement it, so a {@code com.acme.Repo+} rule need not read its
 * hierarchy: most classes of an application are ruled out by one map look-up. Loaders are held weakly; the answers
 * hold no reference to them.
 */
final class LoaderVisibility {

  private final Cache<ClassLoader, ConcurrentMap<String, Boolean>> answers =
      Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
  private final ConcurrentMap<String, Boolean> bootstrapAnswers = new ConcurrentHashMap<>();

  /** True when {@code loader} (null: the bootstrap loader) finds the class file of {@code typeName}. */
  boolean sees(ClassLoader loader, String typeName) {
    ConcurrentMap<String, Boolean> known =
        loader == null ? bootstrapAnswers : answers.get(loader, l -> new ConcurrentHashMap<>());
    Boolean answer = known.get(typeName);
    if (answer == null) {
      answer = lookUp(loader, typeName);
      known.put(typeName, answer);
    }
    return answer;
  }

  private static boolean lookUp(ClassLoader loader, String typeName) {
    String resource = typeName.replace('.', '/') + ".class";
    try {
      ClassLoader through = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
      return through.getResource(resource) != null;
    } catch (Throwable unsure) {
      // a loader that fails to answer: ask the class about its hierarchy rather than miss a match
      return true;
    }
  }
}
