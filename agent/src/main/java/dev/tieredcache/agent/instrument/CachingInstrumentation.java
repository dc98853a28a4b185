package dev.tieredcache.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.tieredcache.agent.rules.KeyTemplate;
import dev.tieredcache.agent.rules.MethodPattern;
import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RuleTargetCheck;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.StableText;
import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the rules into bytecode: every concrete, non-void method that a caching rule names gets the caching
 * advice, every method an evict rule names gets the evict advice, each with the number of its site.
 */
public final class CachingInstrumentation {

  private static final Logger LOG = LoggerFactory.getLogger(CachingInstrumentation.class);

  private final List<Binding> bindings = new ArrayList<>();
  private final SiteRegistry sites = new SiteRegistry();
  private final AtomicInteger transformErrors = new AtomicInteger();
  private final ClassFileLocator adviceLocator =
      ClassFileLocator.ForClassLoader.of(CachingInstrumentation.class.getClassLoader());
  private ClassFileTransformer installed;

  /** Prepares the instrumentation of {@code rules}, whose caching rules already exist in {@code cache}. */
  public CachingInstrumentation(RulesFile rules, TieredCache cache) {
    for (RuleSpec rule : rules.rules()) {
      if (rule.evict().isPresent()) {
        String target = rule.evict().get().ruleName();
        RuleCache targetCache = cache.rule(target)
            .orElseThrow(() -> new IllegalStateException("evict rule names unknown rule " + target));
        bindings.add(new Binding(rule, null, targetCache));
      } else {
        RuleCache ruleCache = cache.rule(rule.name())
            .orElseThrow(() -> new IllegalStateException("no cache for rule " + rule.name()));
        bindings.add(new Binding(rule, ruleCache, null));
      }
    }
  }

  /** Installs the transformer and routes the bridge to this instrumentation's sites. */
  public synchronized void install(Instrumentation inst) {
    CacheBridge.install(new SiteDispatcher(sites));
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new TransformLog())
        .assureReadEdgeTo(inst, CacheBridge.class)
        .ignore(nameStartsWith("dev.tieredcache.agent.").or(nameStartsWith("dev.tieredcache.bridge."))
            .or(nameStartsWith("dev.tieredcache.runtime.")).or(nameStartsWith("dev.tieredcache.shaded."))
            .or(nameStartsWith("java.")).or(nameStartsWith("jdk.internal.")).or(nameStartsWith("sun."))
            .or(CachingInstrumentation::generatedSubclass));
    installed = builder
        .type(this::anyRuleMatchesType)
        .transform(this::transform)
        .installOn(inst);
  }

  /** Removes the transformer and restores the original bytecode of every class it changed. */
  public synchronized void uninstall(Instrumentation inst) {
    CacheBridge.install(null);
    if (installed != null) {
      inst.removeTransformer(installed);
      installed = null;
    }
  }

  /** How many classes could not be transformed; a healthy run has none. */
  public int transformErrors() {
    return transformErrors.get();
  }

  /** How many instrumented methods (sites) exist. */
  public int siteCount() {
    return sites.size();
  }

  private boolean anyRuleMatchesType(TypeDescription type) {
    for (Binding b : bindings) {
      if (b.typeMatcher.matches(type)) {
        return true;
      }
    }
    return false;
  }

  private DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    // a '+' rule matches by walking the type's hierarchy: do that once per type, not once per method
    List<Binding> forType = new ArrayList<>();
    for (Binding b : bindings) {
      if (b.typeMatcher.matches(type)) {
        forType.add(b);
      }
    }
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (method.isConstructor() || method.isTypeInitializer() || method.isBridge() || method.isSynthetic()
          || method.isAbstract() || method.isNative()) {
        continue;
      }
      List<String> parameters = parameterNames(method);
      boolean cached = false;
      for (Binding b : forType) {
        if (!b.matchesMethod(method.getName(), parameters)) {
          continue;
        }
        if (b.evictTarget != null) {
          int id = sites.add(new EvictSite(b.evictTarget, b.rule.evict().get().key().orElse(null)));
          builder = builder.visit(Advice.withCustomMapping().bind(SiteId.class, id)
              .to(EvictAdvice.class, adviceLocator).on(is(method)));
          LOG.debug("{}#{}: evicts rule '{}' (site {})", type.getName(), method.getName(),
              b.evictTarget.name(), id);
        } else if (!cached && cacheable(b, type, method)) {
          KeyTemplate key = b.rule.key().orElseGet(() -> KeyTemplate.allArguments(method.getParameters().size()));
          MethodPattern pattern = b.rule.method();
          String keySpace = pattern.mayMatchSeveralMethods()
              ? pattern.keySpaceOf(type.getName(), method.getName(), parameters) : null;
          int id = sites.add(new CachedSite(b.cache, key, method, keySpace));
          Class<?> advice = method.getParameters().size() == 1 ? OneArgumentAdvice.class : ArgumentsAdvice.class;
          builder = builder.visit(Advice.withCustomMapping().bind(SiteId.class, id)
              .to(advice, adviceLocator).on(is(method)));
          cached = true;
          LOG.debug("{}#{}: cached by rule '{}' (site {})", type.getName(), method.getName(), b.cache.name(), id);
        }
      }
    }
    return builder;
  }

  private static List<String> parameterNames(MethodDescription method) {
    List<String> names = new ArrayList<>();
    for (TypeDefinition p : method.getParameters().asTypeList().asErasures()) {
      names.add(p.asErasure().getActualName());
    }
    return names;
  }

  private static boolean cacheable(Binding b, TypeDescription type, MethodDescription method) {
    if (!RuleTargetCheck.isCacheable(method)) {
      LOG.warn("rule '{}': {}#{} cannot be cached (void, abstract or native); left alone", b.rule.name(),
          type.getName(), method.getName());
      return false;
    }
    if (b.rule.key().isEmpty()) {
      int index = 0;
      for (TypeDescription parameter : method.getParameters().asTypeList().asErasures()) {
        Optional<String> unstable = StableText.unstableReason(parameter);
        if (unstable.isPresent()) {
          LOG.error("rule '" + b.rule.name() + "': argument " + index + " of " + type.getName() + "#"
              + method.getName() + " has no stable text form (" + unstable.get()
              + "); set key: to a template such as \"{" + index + ".id}\"; left uncached");
          return false;
        }
        index++;
      }
    }
    return true;
  }

  /** Classes made by code generators at run time: caching them would cache each call twice. */
  private static boolean generatedSubclass(TypeDescription type) {
    String name = type.getName();
    return name.contains("$$") || name.contains("$ByteBuddy$") || name.contains("$HibernateProxy$")
        || name.contains("$MockitoMock$");
  }

  /** One rule and the matchers of the types and methods it names. */
  private static final class Binding {
    final RuleSpec rule;
    final RuleCache cache;
    final RuleCache evictTarget;
    final ElementMatcher<TypeDescription> typeMatcher;

    Binding(RuleSpec rule, RuleCache cache, RuleCache evictTarget) {
      this.rule = rule;
      this.cache = cache;
      this.evictTarget = evictTarget;
      MethodPattern pattern = rule.method();
      ElementMatcher<TypeDescription> named = t -> pattern.matchesTypeName(t.getName());
      this.typeMatcher = pattern.includesSubtypes() ? hasSuperType(named) : named;
    }

    /** For a method of a type this rule matches: whether the rule names it. */
    boolean matchesMethod(String name, List<String> parameters) {
      MethodPattern pattern = rule.method();
      return pattern.matchesMethodName(name) && pattern.matchesParameters(parameters);
    }
  }

  /** Logs what was instrumented (debug) and every class that could not be (error). */
  private final class TransformLog extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      transformErrors.incrementAndGet();
      LOG.error("transformation error: could not instrument " + typeName + "; it runs uncached", error);
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      LOG.debug("instrumented {}", type.getName());
    }
  }
}
