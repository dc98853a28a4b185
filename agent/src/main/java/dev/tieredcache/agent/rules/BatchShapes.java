package dev.tieredcache.agent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * The shapes a batch rule's method may have (SPEC §3 "Batch rules"), read from type descriptions: at
 * instrumentation and by {@code validate}, so both accept the same methods.
 */
public final class BatchShapes {

  private BatchShapes() {}

  /** True for a parameter that can hold the ids: an array, or an {@code Iterable} (any collection). */
  public static boolean holdsIds(TypeDescription parameter) {
    return parameter.isArray() || parameter.isAssignableTo(Iterable.class);
  }

  /** True for a return type a batch result can be: a {@code Map}, an {@code Iterable} (any collection), an array. */
  public static boolean returnsElements(TypeDescription returned) {
    return returned.isArray() || returned.isAssignableTo(Iterable.class) || returned.isAssignableTo(Map.class);
  }

  /**
   * The method of the single-element rule {@code pattern} that {@code type} declares or inherits and that takes one
   * argument (the id); {@code null} when there is none. Its key space and return type are the batch's.
   */
  public static MethodDescription singleMethod(MethodPattern pattern, TypeDescription type) {
    for (MethodDescription m : RuleTargetCheck.visibleMethods(type)) {
      if (m.getParameters().size() != 1 || m.isBridge() || m.isSynthetic()) {
        continue;
      }
      if (pattern.matchesMethodName(m.getInternalName()) && pattern.matchesParameters(parameterNames(m))
          && (pattern.matchesTypeName(type.getName()) || pattern.includesSubtypes())) {
        return m;
      }
    }
    return null;
  }

  private static List<String> parameterNames(MethodDescription method) {
    List<String> names = new ArrayList<>();
    for (TypeDefinition p : method.getParameters().asTypeList().asErasures()) {
      names.add(p.asErasure().getActualName());
    }
    return names;
  }
}
