package dev.tieredcache.agent.rules;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * Checks the rules against the classes they name, read from class files through a {@link TypePool}, so that no
 * class of the host is loaded: the method exists, can be cached, and its arguments can make a key that is the same
 * in every JVM.
 *
 * <p>Only rules whose type is a name (no {@code *}) are checked here; the others are matched as classes load.
 */
public final class RuleTargetCheck {

  private RuleTargetCheck() {}

  /**
   * Returns the errors found; types that are not in the pool are left to be checked when they load.
   *
   * @see #checkAll(RulesFile, TypePool)
   */
  public static List<RulesError> check(RulesFile rules, TypePool pool) {
    return checkAll(rules, pool).errors();
  }

  /**
   * Checks every rule whose type is exact. Each problem is reported at the rule's {@code method:} value. A type the
   * pool cannot find, or one whose supertypes it cannot find, gives a warning rather than an error.
   */
  public static TargetCheckResult checkAll(RulesFile rules, TypePool pool) {
    List<RulesError> errors = new ArrayList<>();
    List<RulesError> warnings = new ArrayList<>();
    for (RuleSpec rule : rules.rules()) {
      if (!rule.method().isExactType()) {
        continue;
      }
      String typeName = rule.method().exactTypeName();
      TypePool.Resolution resolution = pool.describe(typeName);
      if (!resolution.isResolved()) {
        warnings.add(at(rules, rule, typeName + " not found on the class path; checked when it loads"));
        continue;
      }
      Set<String> found = new LinkedHashSet<>();
      try {
        new RuleCheck(rule, resolution.resolve(), found, rules).run();
      } catch (RuntimeException e) {
        // mostly a supertype or parameter type missing from the class path (the host has it, we cannot see it);
        // a class file Byte Buddy cannot read must not make the check itself fail either
        warnings.add(at(rules, rule, "rule '" + rule.name() + "' could not be checked completely (" + e.getMessage()
            + "); checked when it loads"));
      }
      for (String message : found) {
        errors.add(at(rules, rule, message));
      }
    }
    return new TargetCheckResult(errors, warnings);
  }

  /**
   * True when instrumentation may cache calls of {@code method}: a real method (not a constructor or initializer),
   * with a body (not abstract or native), returning a value, and written by the programmer (not bridge or
   * synthetic), so that each call is cached once.
   */
  public static boolean isCacheable(MethodDescription method) {
    return method.isMethod()
        && !method.isAbstract()
        && !method.isNative()
        && !method.isBridge()
        && !method.isSynthetic()
        && !method.getReturnType().represents(void.class);
  }

  private static RulesError at(RulesFile rules, RuleSpec rule, String message) {
    return new RulesError(rules.source(), rule.methodLine(), rule.methodColumn(), message);
  }

  /** The checks of one rule against its resolved type; messages go to {@code found}, duplicates dropped. */
  private static final class RuleCheck {
    private final RuleSpec rule;
    private final MethodPattern pattern;
    private final TypeDescription type;
    private final Set<String> found;
    private final RulesFile rules;

    RuleCheck(RuleSpec rule, TypeDescription type, Set<String> found, RulesFile rules) {
      this.rules = rules;
      this.rule = rule;
      this.pattern = rule.method();
      this.type = type;
      this.found = found;
    }

    void run() {
      List<MethodDescription> candidates = pattern.includesSubtypes() ? visibleMethods(type) : declaredMethods(type);
      List<MethodDescription> matched = new ArrayList<>();
      for (MethodDescription m : candidates) {
        if (pattern.matchesMethodName(m.getInternalName()) && pattern.matchesParameters(parameterNames(m))) {
          matched.add(m);
        }
      }
      if (matched.isEmpty()) {
        found.add(noMethod(candidates));
        return;
      }
      List<MethodDescription> usable = new ArrayList<>();
      for (MethodDescription m : matched) {
        Optional<String> why = whyNot(m);
        if (why.isEmpty()) {
          usable.add(m);
        } else if (pattern.isExactMethodName()) {
          found.add(why.get());
        }
      }
      if (usable.isEmpty()) {
        if (!pattern.isExactMethodName()) {
          found.add("none of the methods matching " + display() + " on " + type.getName() + " can be "
              + (rule.isEvict() ? "instrumented" : "cached") + ": " + matched.stream()
                  .map(m -> whyNot(m).get()).collect(Collectors.joining("; ")));
        }
        return;
      }
      for (TagTemplate tag : rule.tags()) {
        // the returned value's part is checked when it renders: its run-time class decides
        checkTemplate("tag", tag.argumentsOnly(), usable);
      }
      if (rule.batch().isPresent()) {
        for (MethodDescription m : usable) {
          checkBatch(rule.batch().get(), m);
        }
      } else if (rule.isEvict()) {
        rule.evict().get().key().ifPresent(key -> checkTemplate(key, usable));
        rule.evict().get().tag().ifPresent(tag -> checkTemplate("tag", tag, usable));
      } else if (rule.key().isPresent()) {
        checkTemplate(rule.key().get(), usable);
      } else {
        for (MethodDescription m : usable) {
          List<TypeDescription> params = m.getParameters().asTypeList().asErasures();
          for (int i = 0; i < params.size(); i++) {
            int index = i;
            StableText.unstableClass(params.get(i)).ifPresent(bad -> found.add("rule '" + rule.name()
                + "': argument " + index + " (" + params.get(index).getActualName() + ") has no stable text form ("
                + unstableWhy(params.get(index), bad) + "); set key: to a template such as \"{" + index
                + ".id}\""));
          }
        }
      }
    }

    /** Why a matched method cannot be instrumented by this rule; empty when it can. */
    private Optional<String> whyNot(MethodDescription m) {
      String name = m.getDeclaringType().asErasure().getName() + "#" + m.getInternalName();
      if (m.isAbstract() && !pattern.includesSubtypes()) {
        return Optional.of(name + " is abstract; add '+' after the type to " + (rule.isEvict() ? "evict on" : "cache")
            + " its implementations");
      }
      if (m.isNative()) {
        return Optional.of(name + " is native; native methods cannot be instrumented");
      }
      if (!rule.isEvict() && m.getReturnType().represents(void.class)) {
        return Optional.of(name + " returns void; void methods cannot be cached (use evict: to evict on it)");
      }
      return Optional.empty();
    }

    private String noMethod(List<MethodDescription> candidates) {
      StringBuilder sb = new StringBuilder("no method ").append(display()).append(" on ").append(type.getName());
      if (!pattern.includesSubtypes()) {
        for (MethodDescription m : visibleMethods(type)) {
          if (pattern.matchesMethodName(m.getInternalName()) && pattern.matchesParameters(parameterNames(m))) {
            return sb.append("; it is declared on ").append(m.getDeclaringType().asErasure().getName())
                .append(": name that type, or add '+' after the type").toString();
          }
        }
      }
      List<String> sameName = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      for (MethodDescription m : candidates) {
        names.add(m.getInternalName());
        if (pattern.matchesMethodName(m.getInternalName())) {
          sameName.add(m.getInternalName() + "(" + String.join(", ", parameterNames(m)) + ")");
        }
      }
      if (!sameName.isEmpty()) {
        return sb.append("; it has ").append(String.join(", ", sameName)).toString();
      }
      if (pattern.isExactMethodName()) {
        ClosestName.to(pattern.methodGlob(), names).ifPresent(n -> sb.append(" (did you mean '").append(n)
            .append("'?)"));
      }
      return sb.toString();
    }

    /**
     * The shapes of a batch rule's method (SPEC §3 "Batch rules"): an argument that holds the ids, a result of
     * elements whose type has the key's properties, and ids the named rule's method takes as its one argument.
     */
    private void checkBatch(BatchSpec batch, MethodDescription m) {
      String prefix = "rule '" + rule.name() + "': " + m.getDeclaringType().asErasure().getName() + "#"
          + m.getInternalName() + "(" + String.join(", ", parameterNames(m)) + ")";
      List<TypeDescription> params = m.getParameters().asTypeList().asErasures();
      int ids = batch.idsIndex().orElse(-1);
      if (ids < 0) {
        for (int i = 0; i < params.size() && ids < 0; i++) {
          if (BatchShapes.holdsIds(params.get(i))) {
            ids = i;
          }
        }
        if (ids < 0) {
          found.add(prefix + " takes no collection or array of ids; a batch method takes the ids as one argument,"
              + " like findAllById(Iterable) or load(String[])");
          return;
        }
      } else if (ids >= params.size() || !BatchShapes.holdsIds(params.get(ids))) {
        found.add(prefix + ": ids \"{" + ids + "}\" is not a collection or an array of ids");
        return;
      }
      TypeDescription.Generic returned = m.getReturnType();
      boolean map = returned.asErasure().isAssignableTo(java.util.Map.class);
      if (!BatchShapes.returnsElements(returned.asErasure())) {
        found.add(prefix + " returns " + returned.asErasure().getActualName() + "; a batch method returns a Map keyed"
            + " by id, or a collection or array of elements");
        return;
      }
      if (!map) {
        TypeDescription element = elementOf(returned, false);
        for (KeyTemplate.Part part : batch.elementKey().placeholders()) {
          checkPath("rule '" + rule.name() + "': batch key \"" + batch.elementKey().toString().replace("{0.", "{")
              + "\": ", element, part.path);
        }
      }
      Optional<RuleSpec> named = rules.rule(batch.ruleName());
      if (named.isEmpty()) {
        return;
      }
      MethodDescription single = BatchShapes.singleMethod(named.get().method(), type);
      if (single == null) {
        if (named.get().method().mayMatchSeveralMethods()) {
          found.add("rule '" + rule.name() + "': no method of rule '" + named.get().name() + "' ("
              + named.get().method() + ") taking one argument is found on " + type.getName() + "; that rule keeps"
              + " a key space per method, so the keys of the ids are not known; name its method exactly");
        }
        return;
      }
      TypeDescription id = elementOf(m.getParameters().get(ids).getType(), false);
      TypeDescription takes = single.getParameters().get(0).getType().asErasure();
      if (!id.represents(Object.class) && !takes.isAssignableFrom(id) && !boxedEquals(takes, id)) {
        found.add("rule '" + rule.name() + "': the ids are " + id.getActualName() + ", but rule '"
            + named.get().name() + "' makes its key from the " + takes.getActualName() + " argument of "
            + single.getInternalName() + "; a batch looks each id up as that argument");
      }
    }

    private String display() {
      return pattern.methodGlob() + "(" + pattern.parameterTypes().map(p -> String.join(", ", p)).orElse("..") + ")";
    }

    private void checkTemplate(KeyTemplate key, List<MethodDescription> methods) {
      checkTemplate("key", key, methods);
    }

    /** {@code what} is how the template is named in a message: key, tag. */
    private void checkTemplate(String what, KeyTemplate key, List<MethodDescription> methods) {
      String prefix = "rule '" + rule.name() + "': " + what + " \"" + key + "\": ";
      for (MethodDescription m : methods) {
        List<TypeDescription> params = m.getParameters().asTypeList().asErasures();
        for (KeyTemplate.Part part : key.placeholders()) {
          if (part.index >= params.size()) {
            found.add(prefix + "uses argument " + part.index + ", but " + m.getDeclaringType().asErasure().getName()
                + "#" + m.getInternalName() + "(" + String.join(", ", parameterNames(m)) + ") takes "
                + params.size() + (params.size() == 1 ? " argument" : " arguments") + " (arguments count from 0)");
            continue;
          }
          TypeDescription argType = params.get(part.index);
          if (part.path.length == 0) {
            StableText.unstableClass(argType).ifPresent(bad -> found.add(prefix + "argument " + part.index + " ("
                + argType.getActualName() + ") has no stable text form (" + unstableWhy(argType, bad)
                + "); use one of its properties, such as \"{" + part.index + ".id}\""));
          } else {
            checkPath(prefix, argType, part.path);
          }
        }
      }
    }

    private void checkPath(String prefix, TypeDescription start, String[] path) {
      TypeDescription current = start;
      for (String property : path) {
        if (current.isInterface() || current.represents(Object.class)) {
          return; // the run-time class decides
        }
        Optional<TypeDescription> next = propertyType(current, property);
        if (next.isEmpty()) {
          found.add(prefix + current.getActualName() + " has no property '" + property + "' (no "
              + PropertyAccess.getterName(property) + "(), " + PropertyAccess.booleanGetterName(property) + "(), "
              + property + "() or field " + property + ")");
          return;
        }
        current = next.get();
      }
    }
  }

  /**
   * The element type of a collection, array or (with {@code mapValue}) map type: its type argument's erasure,
   * {@code Object} when it is not known.
   */
  private static TypeDescription elementOf(TypeDescription.Generic type, boolean mapValue) {
    if (type.isArray()) {
      return type.getComponentType().asErasure();
    }
    if (type.getSort() == TypeDefinition.Sort.PARAMETERIZED) {
      List<TypeDescription.Generic> arguments = type.getTypeArguments();
      if (arguments.size() == 1) {
        return erasureOf(arguments.get(0));
      }
      if (arguments.size() == 2 && mapValue) {
        return erasureOf(arguments.get(1));
      }
    }
    return TypeDescription.ForLoadedType.of(Object.class);
  }

  private static TypeDescription erasureOf(TypeDescription.Generic type) {
    if (type.getSort() == TypeDefinition.Sort.WILDCARD) {
      return type.getUpperBounds().getOnly().asErasure();
    }
    return type.asErasure();
  }

  private static boolean boxedEquals(TypeDescription a, TypeDescription b) {
    return a.isPrimitive() && a.asBoxed().equals(b) || b.isPrimitive() && b.asBoxed().equals(a);
  }

  /** The type of a property as {@link PropertyAccess} would read it: getter, is-getter, accessor, then field. */
  private static Optional<TypeDescription> propertyType(TypeDescription type, String property) {
    List<MethodDescription> methods = visibleMethods(type);
    for (String name : List.of(PropertyAccess.getterName(property), PropertyAccess.booleanGetterName(property),
        property)) {
      for (MethodDescription m : methods) {
        if (m.getInternalName().equals(name) && m.getParameters().isEmpty() && m.isPublic() && !m.isStatic()
            && !m.getReturnType().represents(void.class)) {
          TypeDescription returns = m.getReturnType().asErasure();
          boolean isGetter = name.startsWith("is") && !name.equals(property);
          if (!isGetter || returns.represents(boolean.class) || returns.represents(Boolean.class)) {
            return Optional.of(returns);
          }
        }
      }
    }
    for (TypeDefinition t = type; t != null && !t.represents(Object.class); t = t.getSuperClass()) {
      for (FieldDescription.InDefinedShape f : t.asErasure().getDeclaredFields().filter(named(property))) {
        if (!f.isStatic()) {
          return Optional.of(f.getType().asErasure());
        }
      }
    }
    return Optional.empty();
  }

  private static String unstableWhy(TypeDescription declared, TypeDescription bad) {
    return declared.equals(bad) ? "it does not override toString()"
        : "its element type " + bad.getName() + " does not override toString()";
  }

  private static List<String> parameterNames(MethodDescription m) {
    List<String> names = new ArrayList<>();
    for (TypeDescription t : m.getParameters().asTypeList().asErasures()) {
      names.add(t.getActualName());
    }
    return names;
  }

  /** Methods written on the type itself (no constructors, bridges or compiler-made methods). */
  private static List<MethodDescription> declaredMethods(TypeDescription type) {
    List<MethodDescription> methods = new ArrayList<>();
    for (MethodDescription m : type.getDeclaredMethods()) {
      if (m.isMethod() && !m.isBridge() && !m.isSynthetic()) {
        methods.add(m);
      }
    }
    return methods;
  }

  /**
   * Methods a caller can reach on the type: its own, then those its superclasses and interfaces declare that it
   * does not override (private ones of supertypes excluded), most specific first.
   */
  public static List<MethodDescription> visibleMethods(TypeDescription type) {
    List<MethodDescription> methods = new ArrayList<>();
    Set<String> signatures = new HashSet<>();
    Deque<TypeDescription> interfaces = new ArrayDeque<>();
    for (TypeDefinition t = type; t != null && !t.represents(Object.class); t = t.getSuperClass()) {
      TypeDescription erasure = t.asErasure();
      addUnseen(methods, signatures, erasure, erasure.equals(type));
      interfaces.addAll(erasure.getInterfaces().asErasures());
    }
    Set<TypeDescription> seen = new HashSet<>();
    while (!interfaces.isEmpty()) {
      TypeDescription i = interfaces.poll();
      if (seen.add(i)) {
        addUnseen(methods, signatures, i, i.equals(type));
        interfaces.addAll(i.getInterfaces().asErasures());
      }
    }
    return methods;
  }

  private static void addUnseen(List<MethodDescription> methods, Set<String> signatures, TypeDescription owner,
      boolean own) {
    for (MethodDescription m : declaredMethods(owner)) {
      if (!own && (m.isPrivate() || (owner.isInterface() && m.isStatic()))) {
        continue;
      }
      if (signatures.add(m.getInternalName() + parameterNames(m))) {
        methods.add(m);
      }
    }
  }
}
