package dev.tieredcache.agent.instrument;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Whether a type or one of its supertypes has a name that a {@code Type+} rule names, walking only the supertypes
 * whose class files can be read. Byte Buddy's {@code hasSuperType} fails the whole class when one supertype cannot be
 * described, and another agent that ran before this one hands us such classes: the OpenTelemetry agent adds to
 * thousands of classes ({@code Runnable}s, servlet filters, JDBC statements) interfaces it defines at run time
 * ({@code io.opentelemetry.javaagent.bootstrap.field.VirtualFieldAccessor$...}), which have no class file. Such a
 * supertype and its own supertypes are left out of the walk (compared by name when Byte Buddy can still name it):
 * nothing can be known of them, and a type an agent defines at run time does not extend an application's types.
 */
final class ReadableSupertypes implements ElementMatcher<TypeDescription> {

  private final ElementMatcher<? super TypeDescription> named;

  ReadableSupertypes(ElementMatcher<? super TypeDescription> named) {
    this.named = named;
  }

  @Override
  public boolean matches(TypeDescription type) {
    Set<String> seen = new HashSet<>();
    Deque<TypeDescription> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      TypeDescription next = pending.poll();
      if (!seen.add(next.getName())) {
        continue;
      }
      if (named.matches(next)) {
        return true;
      }
      addDirectSupertypes(next, pending);
    }
    return false;
  }

  /**
   * The superclass and interfaces of {@code type} (erased) that can be described; none when its own class file cannot
   * be read. Byte Buddy resolves a supertype at different moments (when asked for it, or for its own supertypes,
   * depending on what its type pool has cached), so each one is asked for on its own.
   */
  private static void addDirectSupertypes(TypeDescription type, Deque<TypeDescription> into) {
    try {
      TypeDescription.Generic superClass = type.getSuperClass();
      if (superClass != null) {
        into.add(superClass.asErasure());
      }
    } catch (RuntimeException unreadable) {
      // TypePool.Resolution.NoSuchTypeException, or a class file that cannot be parsed: left out
    }
    TypeList.Generic interfaces;
    try {
      interfaces = type.getInterfaces();
    } catch (RuntimeException unreadable) {
      return;
    }
    for (int i = 0; i < interfaces.size(); i++) {
      try {
        into.add(interfaces.get(i).asErasure());
      } catch (RuntimeException unreadable) {
        // as above; the other interfaces are still walked
      }
    }
  }

  @Override
  public String toString() {
    return "hasReadableSuperType(" + named + ")";
  }
}
