package dev.tieredcache.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.is;

import dev.tieredcache.agent.rules.BatchShapes;
import dev.tieredcache.agent.rules.BatchSpec;
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
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the rules into bytecode: every concrete, non-void method that a caching rule names gets the caching
 * advice, every method an evict rule names gets the evict advice, each with the number of its site.
 */
public final class CachingInstrumentation {

  private static final Logger LOG = LoggerFactory.getLogger(CachingInstrumentation.class);

  /** The sites of every generation of rules, and what the bridge routes calls to. */
  private final SiteDispatcher sites = new SiteDispatcher();
  /** Which loaders can see the types that {@code Type+} rules name; shared by every generation of rules. */
  private final LoaderVisibility visibility = new LoaderVisibility();
  private final AtomicInteger transformErrors = new AtomicInteger();
  private final ClassFileLocator adviceLocator =
      ClassFileLocator.ForClassLoader.of(CachingInstrumentation.class.getClassLoader());
  /** The rules being instrumented now; replaced whole by {@link #replace}. */
  private volatile Generation current = Generation.NONE;
  private ClassFileTransformer installed;
  private volatile Consumer<Class<?>> firstCalls = type -> { };

  /** Instrumentation of nothing yet: {@link #install} names the first rules. */
  public CachingInstrumentation() {}

  /**
   * Tells {@code listener} the class of each cached method when the method is first called (once per method and
   * rules put in place), on the caller's thread: it must return at once.
   */
  public void onFirstCall(Consumer<Class<?>> listener) {
    firstCalls = listener;
  }

  private void firstCall(Class<?> declaringType) {
    firstCalls.accept(declaringType);
  }

  /**
   * Installs the transformer for {@code rules}, whose caching rules already exist in {@code cache}, instruments the
   * classes loaded already that the rules name, and routes the bridge to this instrumentation's sites.
   *
   * <p>The transformer that the JVM calls is this class's own {@link Prefiltered}: it tells a class that no rule can
   * match from its name, its loader and its class file's header, without Byte Buddy. Byte Buddy's transformer is made
   * only when a class passes that test (or a class is retransformed), so a start whose rules match nothing yet sets
   * up none of Byte Buddy's type machinery (hundreds of classes, run interpreted, at every start of the JVM).
   */
  public synchronized void install(Instrumentation inst, RulesFile rules, TieredCache cache) {
    current = new Generation(rules, cache);
    CacheBridge.install(sites);
    Prefiltered transformer = new Prefiltered(inst);
    inst.addTransformer(transformer, true);
    installed = transformer;
    retransform(inst, Generation.NONE, current);
  }

  /**
   * Rewrites the class file of a class that passed the {@link Prefiltered} test: describes it with Byte Buddy's type
   * pool (its supertypes read from its loader's class files, cached per loader), asks the rules which of its methods
   * they name, and inlines the advice with Byte Buddy's {@link Advice} in one pass of ASM over the class file. No
   * {@code AgentBuilder} or {@code ByteBuddy} type builder: that machinery (some 650 classes more, measured) is not
   * needed to add advice to the methods of a class being loaded, and a JVM pays for its classes at every start.
   */
  private final class Weaver {
    private final Instrumentation inst;
    private final TypePoolCaches pools = new TypePoolCaches();
    private final Module bridgeModule = CacheBridge.class.getModule();
    /** Set while this thread rewrites a class: a class loaded meanwhile (by the rewrite itself) is left alone. */
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

    Weaver(Instrumentation inst) {
      this.inst = inst;
    }

    byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
      if (busy.get() != null) {
        return null;
      }
      busy.set(Boolean.TRUE);
      String name = internalName.replace('/', '.');
      try {
        if (ignoredName(name)) {
          return null;
        }
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
            loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader()
                // read through a weak reference: the descriptions the pool caches (softly) would otherwise keep a
                // dropped web application's loader reachable until the heap runs short
                : ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader));
        TypePool pool = pools.typePool(locator, loader, name);
        TypeDescription type = pool.describe(name).resolve();
        if (!current.matchesType(type, loader, visibility)) {
          return null;
        }
        List<AsmVisitorWrapper> advice = adviceFor(type, loader);
        if (advice.isEmpty()) {
          return null;
        }
        AsmVisitorWrapper wrapper = new AsmVisitorWrapper.Compound(advice);
        int readerFlags = wrapper.mergeReader(AsmVisitorWrapper.NO_FLAGS);
        int writerFlags = wrapper.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
        ClassReader reader = new ClassReader(bytes);
        // the constant pool is kept (a retransformation may not change the class's shape, only its code)
        ClassWriter writer = new PoolClassWriter(reader, writerFlags, pool);
        ClassFileVersion version = ClassFileVersion.ofClassFile(bytes);
        // a context that adds nothing to the class (no auxiliary types, fields or initializer: the advice needs none)
        Implementation.Context.ExtractableView context = Implementation.Context.Disabled.Factory.INSTANCE.make(type,
            new AuxiliaryType.NamingStrategy.Suffixing("auxiliary"), TypeInitializer.None.INSTANCE, version, version);
        reader.accept(wrapper.wrap(type, writer, context, pool, type.getDeclaredFields(), type.getDeclaredMethods(),
            writerFlags, readerFlags), readerFlags);
        byte[] woven = writer.toByteArray();
        readsBridge(module);
        LOG.debug("instrumented {}", name);
        return woven;
      } catch (Throwable error) {
        transformErrors.incrementAndGet();
        LOG.error("transformation error: could not instrument " + name + "; it runs uncached", error);
        return null;
      } finally {
        busy.remove();
      }
    }

    /** A class of a named module must read the bridge's module to call it (the bridge is in the boot loader's). */
    private void readsBridge(Module module) {
      if (module != null && module.isNamed() && !module.canRead(bridgeModule)) {
        inst.redefineModule(module, Set.of(bridgeModule), Map.of(), Map.of(), Set.of(), Map.of());
      }
    }
  }

  /**
   * Replaces the rules instrumented: the classes that the old or the new rules match are retransformed, so that
   * methods no longer named run their original code and new ones are cached; a method keeps one advice throughout
   * (the transformer is one, its rules change). Calls already running finish on the code they started with; the
   * old rules' sites answer later calls of not yet retransformed code until the retransformation is done, then
   * turn into plain calls.
   */
  public synchronized void replace(Instrumentation inst, RulesFile rules, TieredCache cache) {
    Generation old = current;
    Generation next = new Generation(rules, cache);
    current = next;
    retransform(inst, old, next);
    sites.retire(old.siteIds);
  }

  /** Restores the original bytecode of every class instrumented, removes the transformer and the bridge's route. */
  public synchronized void uninstall(Instrumentation inst) {
    Generation old = current;
    current = Generation.NONE;
    retransform(inst, old, Generation.NONE);
    if (installed != null) {
      inst.removeTransformer(installed);
      installed = null;
    }
    sites.retire(old.siteIds);
    CacheBridge.install(null);
  }

  /**
   * The loaded classes that {@code before} or {@code after} instrument, retransformed with the current rules. Which
   * they are is read from the loaded classes themselves (names, superclasses, interfaces), not from class files.
   */
  private void retransform(Instrumentation inst, Generation before, Generation after) {
    if (before.bindings.isEmpty() && after.bindings.isEmpty()) {
      return;
    }
    List<Class<?>> affected = new ArrayList<>();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      if (type.isArray() || type.isPrimitive() || ignoredName(type.getName()) || !inst.isModifiableClass(type)) {
        continue;
      }
      try {
        if (before.matchesLoaded(type, visibility) || after.matchesLoaded(type, visibility)) {
          affected.add(type);
        }
      } catch (Throwable unreadable) {
        // a class whose hierarchy cannot be read is not one the rules could have instrumented
      }
    }
    for (Class<?> type : affected) {
      try {
        inst.retransformClasses(type);
      } catch (Throwable failed) {
        transformErrors.incrementAndGet();
        LOG.error("could not retransform " + type.getName() + " for the new rules", failed);
      }
    }
    LOG.debug("retransformed {} classes for the new rules", affected.size());
  }

  /**
   * Classes never instrumented, told by name alone before any rule is asked: the agent's own, the JDK's ({@code java.},
   * {@code sun.}, {@code jdk.} except the JDK proxies {@code jdk.proxyN.$ProxyM}, which implement the application's
   * interfaces) and code generators' subclasses.
   */
  private static ElementMatcher<TypeDescription> ignored() {
    return type -> ignoredName(type.getName());
  }

  static boolean ignoredName(String name) {
    return name.startsWith("dev.tieredcache.") && (name.startsWith("dev.tieredcache.agent.")
            || name.startsWith("dev.tieredcache.bridge.") || name.startsWith("dev.tieredcache.runtime.")
            || name.startsWith("dev.tieredcache.shaded."))
        || name.startsWith("java.") || name.startsWith("sun.")
        || name.startsWith("jdk.") && !name.startsWith("jdk.proxy")
        || generatedSubclass(name);
  }

  /** How many classes could not be transformed; a healthy run has none. */
  public int transformErrors() {
    return transformErrors.get();
  }

  /** The rules of the rules now in place for which no method has been instrumented (yet), in file order. */
  public List<RuleSpec> unmatchedRules() {
    Generation generation = current;
    List<RuleSpec> unmatched = new ArrayList<>();
    for (Binding b : generation.bindings) {
      AtomicInteger count = generation.sitesByRule.get(b.rule.name());
      if (count == null || count.get() == 0) {
        unmatched.add(b.rule);
      }
    }
    return unmatched;
  }

  /**
   * How many methods each rule of the rules now in place has instrumented so far (a method of a class loaded by
   * several class loaders counts once per loader), by rule name in file order, evict rules included.
   */
  public Map<String, Integer> instrumentedMethods() {
    Generation generation = current;
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Binding b : generation.bindings) {
      AtomicInteger count = generation.sitesByRule.get(b.rule.name());
      counts.put(b.rule.name(), count == null ? 0 : count.get());
    }
    return counts;
  }

  /** How many instrumented methods (sites) exist. */
  public int siteCount() {
    return sites.size();
  }

  /** The advice that the current rules put on the methods of {@code type}, one wrapper per method; none: left alone. */
  private List<AsmVisitorWrapper> adviceFor(TypeDescription type, ClassLoader loader) {
    List<AsmVisitorWrapper> wrappers = new ArrayList<>();
    // a '+' rule matches by walking the type's hierarchy: do that once per type, not once per method
    Generation generation = current;
    List<Binding> forType = new ArrayList<>();
    for (Binding b : generation.bindings) {
      if (b.matchesType(type, loader, visibility)) {
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
        if (b.batchTarget != null) {
          if (!cached) {
            BatchSite site = batchSite(b, type, method);
            if (site != null) {
              int id = generation.add(sites, site, b.rule.name());
              // a batch site takes its arguments whole (no integer sent as bits)
              Class<?> advice = method.getParameters().size() == 1 ? OneArgumentAdvice.class : ArgumentsAdvice.class;
              wrappers.add(Advice.withCustomMapping().bind(SiteId.class, id)
                  .to(advice, CachedExitAdvice.class, adviceLocator).on(is(method)));
              cached = true;
              LOG.debug("{}#{}: batch of rule '{}' (site {})", type.getName(), method.getName(),
                  b.batchTarget.name(), id);
            }
          }
        } else if (b.tagEvicts != null) {
          int id = generation.add(sites, new EvictSite(b.tagEvicts, b.rule.evict().get().tag().get()), b.rule.name());
          wrappers.add(Advice.withCustomMapping().bind(SiteId.class, id)
              .to(EvictAdvice.class, adviceLocator).on(is(method)));
          LOG.debug("{}#{}: evicts tag {} (site {})", type.getName(), method.getName(),
              b.rule.evict().get().tag().get(), id);
        } else if (b.evictTarget != null) {
          int id = generation.add(sites, new EvictSite(b.evictTarget, b.rule.evict().get().key().orElse(null)),
              b.rule.name());
          wrappers.add(Advice.withCustomMapping().bind(SiteId.class, id)
              .to(EvictAdvice.class, adviceLocator).on(is(method)));
          LOG.debug("{}#{}: evicts rule '{}' (site {})", type.getName(), method.getName(),
              b.evictTarget.name(), id);
        } else if (!cached && cacheable(b, type, method)) {
          KeyTemplate key = b.rule.key().orElseGet(() -> KeyTemplate.allArguments(method.getParameters().size()));
          MethodPattern pattern = b.rule.method();
          String keySpace = pattern.mayMatchSeveralMethods()
              ? pattern.keySpaceOf(type.getName(), method.getName(), parameters) : null;
          int id = generation.add(sites, new CachedSite(b.cache, key, b.rule.tags(), method, keySpace,
              this::firstCall), b.rule.name());
          Class<?> advice = adviceFor(method);
          wrappers.add(SplitArguments.bind(Advice.withCustomMapping()).bind(SiteId.class, id)
              .to(advice, CachedExitAdvice.class, adviceLocator).on(is(method)));
          cached = true;
          LOG.debug("{}#{}: cached by rule '{}' (site {})", type.getName(), method.getName(), b.cache.name(), id);
        }
      }
    }
    return wrappers;
  }

  /**
   * The advice for a cached method: its arguments one by one up to three (a single integer unboxed, integers among
   * two or three as bits, see {@link SplitArguments}), else in an array.
   */
  private static Class<?> adviceFor(MethodDescription method) {
    switch (method.getParameters().size()) {
      case 1:
        return CachedSite.takesOneIntegral(method) ? LongArgumentAdvice.class : OneArgumentAdvice.class;
      case 2:
        return TwoArgumentsAdvice.class;
      case 3:
        return ThreeArgumentsAdvice.class;
      default:
        return ArgumentsAdvice.class;
    }
  }

  /**
   * The site of a batch rule's method, or {@code null} (logged) when it cannot be one: no argument holds the ids,
   * or the named rule's method is not found on the type (its key space and value type come from it).
   */
  private static BatchSite batchSite(Binding b, TypeDescription type, MethodDescription method) {
    BatchSpec batch = b.rule.batch().get();
    if (!RuleTargetCheck.isCacheable(method)) {
      LOG.warn("batch rule '{}': {}#{} cannot be cached (void, abstract or native); left alone", b.rule.name(),
          type.getName(), method.getName());
      return null;
    }
    int ids = batch.idsIndex().orElse(-1);
    List<TypeDescription> parameters = method.getParameters().asTypeList().asErasures();
    if (ids < 0) {
      for (int i = 0; i < parameters.size() && ids < 0; i++) {
        if (BatchShapes.holdsIds(parameters.get(i))) {
          ids = i;
        }
      }
    }
    if (ids < 0 || ids >= parameters.size() || !BatchShapes.holdsIds(parameters.get(ids))) {
      LOG.error("batch rule '" + b.rule.name() + "': " + type.getName() + "#" + method.getName() + " takes no"
          + " collection or array of ids" + (ids >= 0 ? " as argument " + ids : "") + "; left uncached");
      return null;
    }
    if (!BatchShapes.returnsElements(method.getReturnType().asErasure())) {
      LOG.error("batch rule '" + b.rule.name() + "': " + type.getName() + "#" + method.getName() + " returns "
          + method.getReturnType().asErasure().getName() + ", neither a Map nor a collection or array of elements;"
          + " left uncached");
      return null;
    }
    RuleSpec single = b.batchRule;
    MethodPattern pattern = single.method();
    MethodDescription one = BatchShapes.singleMethod(pattern, type);
    String keySpace = null;
    if (pattern.mayMatchSeveralMethods()) {
      if (one == null) {
        LOG.error("batch rule '" + b.rule.name() + "': no method of rule '" + single.name() + "' (" + pattern
            + ") with one argument is found on " + type.getName() + ", so the keys of its ids are not known (the"
            + " rule keeps one key space per method); left uncached");
        return null;
      }
      keySpace = pattern.keySpaceOf(one.getDeclaringType().asErasure().getName(), one.getName(),
          parameterNames(one));
    }
    boolean optional = one != null && one.getReturnType().asErasure().represents(Optional.class);
    KeyTemplate idKey = single.key().orElseGet(() -> KeyTemplate.allArguments(1));
    return new BatchSite(b.rule.name(), b.batchTarget, idKey, keySpace, single.tags(), optional,
        batch.elementKey(), ids, method);
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
  private static boolean generatedSubclass(String name) {
    return name.contains("$$") || name.contains("$ByteBuddy$") || name.contains("$HibernateProxy$")
        || name.contains("$MockitoMock$");
  }

  /**
   * ASM's writer with the common superclass of two types (asked only when frames are computed, which the advice does
   * not ask for) read from the type pool: ASM's own answer would load the classes, from inside a class's loading.
   */
  private static final class PoolClassWriter extends ClassWriter {
    private final TypePool pool;

    PoolClassWriter(ClassReader reader, int flags, TypePool pool) {
      super(reader, flags);
      this.pool = pool;
    }

    @Override
    protected String getCommonSuperClass(String first, String second) {
      TypeDescription left = pool.describe(first.replace('/', '.')).resolve();
      TypeDescription right = pool.describe(second.replace('/', '.')).resolve();
      if (left.isAssignableFrom(right)) {
        return first;
      }
      if (right.isAssignableFrom(left)) {
        return second;
      }
      if (left.isInterface() || right.isInterface()) {
        return "java/lang/Object";
      }
      do {
        left = left.getSuperClass().asErasure();
      } while (!left.isAssignableFrom(right));
      return left.getInternalName();
    }
  }

  /**
   * The transformer the JVM calls: a cheap test first, so that a class no rule can match, told by its name, its
   * loader and its class file's header ({@link Generation#mayMatch}), never reaches Byte Buddy, which would describe
   * it and walk its hierarchy; Byte Buddy's transformer is made the first time a class passes. Retransformations
   * (rules replaced, detach) always go through.
   */
  private final class Prefiltered implements ClassFileTransformer {
    private final Instrumentation inst;
    private volatile Weaver weaver;

    Prefiltered(Instrumentation inst) {
      this.inst = inst;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
        byte[] bytes) {
      return transform(null, loader, internalName, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
        ProtectionDomain domain, byte[] bytes) {
      return mayMatch(loader, internalName, redefined, bytes)
          ? weaver().transform(module, loader, internalName, redefined, bytes) : null;
    }

    private Weaver weaver() {
      Weaver made = weaver;
      if (made == null) {
        synchronized (this) {
          made = weaver;
          if (made == null) {
            made = new Weaver(inst);
            weaver = made;
          }
        }
      }
      return made;
    }

    private boolean mayMatch(ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
      if (internalName == null) {
        return false;
      }
      if (redefined != null) {
        return true;
      }
      try {
        return current.mayMatch(loader, internalName.replace('/', '.'), bytes, visibility);
      } catch (Throwable unsure) {
        return true;
      }
    }
  }

  /** One version of the rules: their bindings, and the sites made for them (retired when they are replaced). */
  private static final class Generation {
    static final Generation NONE = new Generation();

    final List<Binding> bindings = new ArrayList<>();
    final List<Integer> siteIds = new CopyOnWriteArrayList<>();
    /** How many methods each rule instrumented in this version. */
    final Map<String, AtomicInteger> sitesByRule = new ConcurrentHashMap<>();
    /** For the {@code Type+} rules that name one type: whether a class may be a subtype, from headers. */
    private final SubtypePrefilter subtypes;
    /** The types those rules name. */
    private final Set<String> superTypeNames = new HashSet<>();
    /** True when a rule's pattern is {@code com.acme.*Repo+}: no header test of the hierarchy rules a class out. */
    private final boolean globSubtypes;
    /**
     * The method names of every {@code +} rule, as UTF-8: a class whose constant pool holds none of them declares no
     * method such a rule names, so it is not instrumented for them whatever its supertypes. Null when one of those
     * rules has a {@code *} in its method name (or a name that is not ASCII): then no such shortcut.
     */
    private final List<byte[]> subtypeMethodNames;

    private Generation() {
      subtypes = null;
      globSubtypes = false;
      subtypeMethodNames = null;
    }

    Generation(RulesFile rules, TieredCache cache) {
      for (RuleSpec rule : rules.rules()) {
        if (rule.batch().isPresent()) {
          String target = rule.batch().get().ruleName();
          RuleCache targetCache = cache.rule(target)
              .orElseThrow(() -> new IllegalStateException("batch rule names unknown rule " + target));
          Binding binding = new Binding(rule, null, null, null, targetCache, rules.rule(target).get());
          bindings.add(binding);
        } else if (rule.evict().isPresent() && rule.evict().get().tag().isPresent()) {
          bindings.add(new Binding(rule, null, null, cache));
        } else if (rule.evict().isPresent()) {
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
      boolean glob = false;
      for (Binding b : bindings) {
        if (b.superTypeName != null) {
          superTypeNames.add(b.superTypeName);
        } else if (b.subtypeMatcher != null) {
          glob = true;
        }
      }
      globSubtypes = glob;
      subtypes = superTypeNames.isEmpty() ? null : new SubtypePrefilter(superTypeNames);
      subtypeMethodNames = methodNamesOfSubtypeRules(bindings);
    }

    private static List<byte[]> methodNamesOfSubtypeRules(List<Binding> bindings) {
      List<byte[]> names = new ArrayList<>();
      for (Binding b : bindings) {
        MethodPattern pattern = b.rule.method();
        if (!pattern.includesSubtypes()) {
          continue;
        }
        String name = pattern.methodGlob();
        if (!pattern.isExactMethodName() || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
          return null;
        }
        names.add(name.getBytes(StandardCharsets.US_ASCII));
      }
      return names;
    }

    /**
     * Whether a rule may match the class {@code name} that {@code loader} is defining from {@code bytes}: false only
     * when no rule can (the transformer then leaves the class alone without describing it). Its name against every
     * rule, then, for the {@code Type+} rules, whether the loader sees a named type and the class file headers of
     * the class and its supertypes lead to one.
     */
    boolean mayMatch(ClassLoader loader, String name, byte[] bytes, LoaderVisibility visibility) {
      if (bindings.isEmpty() || ignoredName(name)) {
        return false;
      }
      for (Binding b : bindings) {
        if (b.rule.method().matchesTypeName(name)) {
          return true;
        }
      }
      if (subtypeMethodNames != null
          && (subtypeMethodNames.isEmpty() || !ClassHeader.mentionsAny(bytes, subtypeMethodNames))) {
        return false;
      }
      if (globSubtypes) {
        return true;
      }
      if (subtypes == null) {
        return false;
      }
      boolean visible = false;
      for (String superTypeName : superTypeNames) {
        if (visibility.sees(loader, superTypeName)) {
          visible = true;
          break;
        }
      }
      return visible && subtypes.maySubtype(loader, name, bytes);
    }

    boolean matchesType(TypeDescription type, ClassLoader loader, LoaderVisibility visibility) {
      for (Binding b : bindings) {
        if (b.matchesType(type, loader, visibility)) {
          return true;
        }
      }
      return false;
    }

    /** Whether a rule names the loaded class {@code type}, read from the class and its supertypes by reflection. */
    boolean matchesLoaded(Class<?> type, LoaderVisibility visibility) {
      for (Binding b : bindings) {
        if (b.matchesLoaded(type, visibility)) {
          return true;
        }
      }
      return false;
    }

    int add(SiteRegistry sites, Object site, String ruleName) {
      int id = sites.add(site);
      siteIds.add(id);
      sitesByRule.computeIfAbsent(ruleName, r -> new AtomicInteger()).incrementAndGet();
      return id;
    }
  }

  /** One rule and the matchers of the types and methods it names. */
  private static final class Binding {
    final RuleSpec rule;
    final RuleCache cache;
    final RuleCache evictTarget;
    /** For a batch rule, the cache of the rule it names, and that rule; else {@code null}. */
    final RuleCache batchTarget;
    final RuleSpec batchRule;
    /** For an evict by tag, the cache whose rules carry the tag; else {@code null}. */
    final TieredCache tagEvicts;
    final ElementMatcher<TypeDescription> named;
    final ElementMatcher<TypeDescription> subtypeMatcher;
    /** The one type a {@code Type+} pattern without {@code *} names; null otherwise. */
    final String superTypeName;

    Binding(RuleSpec rule, RuleCache cache, RuleCache evictTarget) {
      this(rule, cache, evictTarget, null);
    }

    Binding(RuleSpec rule, RuleCache cache, RuleCache evictTarget, TieredCache tagEvicts) {
      this(rule, cache, evictTarget, tagEvicts, null, null);
    }

    Binding(RuleSpec rule, RuleCache cache, RuleCache evictTarget, TieredCache tagEvicts, RuleCache batchTarget,
        RuleSpec batchRule) {
      this.batchTarget = batchTarget;
      this.batchRule = batchRule;
      this.tagEvicts = tagEvicts;
      this.rule = rule;
      this.cache = cache;
      this.evictTarget = evictTarget;
      MethodPattern pattern = rule.method();
      this.named = t -> pattern.matchesTypeName(t.getName());
      this.subtypeMatcher = pattern.includesSubtypes() ? new ReadableSupertypes(named) : null;
      this.superTypeName = pattern.includesSubtypes() && pattern.isExactType() ? pattern.exactTypeName() : null;
    }

    /**
     * Whether the rule names {@code type}, defined by {@code loader}. The name first; for {@code Type+}, a class whose
     * loader cannot see {@code Type} is not asked about its hierarchy (most classes are ruled out so); the hierarchy
     * walk, whose supertypes come from the per-loader type pool cache, comes last.
     */
    boolean matchesType(TypeDescription type, ClassLoader loader, LoaderVisibility visibility) {
      if (named.matches(type)) {
        return true;
      }
      if (subtypeMatcher == null) {
        return false;
      }
      if (superTypeName != null && !visibility.sees(loader, superTypeName)) {
        return false;
      }
      return subtypeMatcher.matches(type);
    }

    /** {@link #matchesType} for a loaded class: its supertypes are the loaded ones. */
    boolean matchesLoaded(Class<?> type, LoaderVisibility visibility) {
      MethodPattern pattern = rule.method();
      if (pattern.matchesTypeName(type.getName())) {
        return true;
      }
      if (subtypeMatcher == null
          || superTypeName != null && !visibility.sees(type.getClassLoader(), superTypeName)) {
        return false;
      }
      Set<Class<?>> seen = new HashSet<>();
      Deque<Class<?>> pending = new ArrayDeque<>();
      pending.add(type);
      while (!pending.isEmpty()) {
        Class<?> next = pending.poll();
        if (!seen.add(next)) {
          continue;
        }
        if (pattern.matchesTypeName(next.getName())) {
          return true;
        }
        if (next.getSuperclass() != null) {
          pending.add(next.getSuperclass());
        }
        pending.addAll(Arrays.asList(next.getInterfaces()));
      }
      return false;
    }

    /** For a method of a type this rule matches: whether the rule names it. */
    boolean matchesMethod(String name, List<String> parameters) {
      MethodPattern pattern = rule.method();
      return pattern.matchesMethodName(name) && pattern.matchesParameters(parameters);
    }
  }
}
