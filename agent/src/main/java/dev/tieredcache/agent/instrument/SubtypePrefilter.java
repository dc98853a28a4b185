package dev.tieredcache.agent.instrument;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Whether a class may be a subtype of one of the types that {@code Type+} rules name, from class file headers alone:
 * the class's direct supertypes are read from its bytes, theirs from the class files its loader finds, and each
 * answer is kept per loader (weakly held) and type name, so a supertype shared by many classes is read once. JDK
 * types ({@code java.*}) are never subtypes of an application's type. When a supertype's class file cannot be read
 * the answer is "may be": Byte Buddy's full match then decides.
 */
final class SubtypePrefilter {

  private static final int MAX_DEPTH = 64;

  private final Set<String> superTypeNames;
  private final boolean namesJdkType;
  private final Cache<ClassLoader, ConcurrentMap<String, Boolean>> answers =
      Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
  private final ConcurrentMap<String, Boolean> bootstrapAnswers = new ConcurrentHashMap<>();

  SubtypePrefilter(Set<String> superTypeNames) {
    this.superTypeNames = superTypeNames;
    this.namesJdkType = superTypeNames.stream().anyMatch(n -> n.startsWith("java."));
  }

  /** Whether the class {@code name} of {@code loader}, whose class file is {@code bytes}, may be such a subtype. */
  boolean maySubtype(ClassLoader loader, String name, byte[] bytes) {
    List<String> direct = ClassHeader.directSupertypes(bytes);
    if (direct == null) {
      return true;
    }
    ConcurrentMap<String, Boolean> known =
        loader == null ? bootstrapAnswers : answers.get(loader, l -> new ConcurrentHashMap<>());
    boolean answer = anyReaches(loader, direct, known, 0);
    known.put(name, answer);
    return answer;
  }

  private boolean anyReaches(ClassLoader loader, List<String> supertypes, ConcurrentMap<String, Boolean> known,
      int depth) {
    for (String supertype : supertypes) {
      if (reaches(loader, supertype, known, depth)) {
        return true;
      }
    }
    return false;
  }

  private boolean reaches(ClassLoader loader, String type, ConcurrentMap<String, Boolean> known, int depth) {
    if (superTypeNames.contains(type)) {
      return true;
    }
    if (!namesJdkType && type.startsWith("java.")) {
      return false;
    }
    Boolean answer = known.get(type);
    if (answer != null) {
      return answer;
    }
    if (depth >= MAX_DEPTH) {
      return true;
    }
    List<String> direct = ClassHeader.directSupertypes(loader, type);
    answer = direct == null || anyReaches(loader, direct, known, depth + 1);
    known.put(type, answer);
    return answer;
  }
}
