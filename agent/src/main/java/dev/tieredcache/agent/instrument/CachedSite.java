package dev.tieredcache.agent.instrument;

import dev.tieredcache.agent.rules.KeyTemplate;
import dev.tieredcache.agent.rules.TagTemplate;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.Upstream;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrumented method of a caching rule: how its arguments become a key, and how a background refresh calls
 * it again. The method itself is looked up on the first refresh and held weakly, so the agent never keeps the
 * host's class loader alive. A method of a class loader other than the JVM's own is cached in its rule's partition
 * of that loader (see {@link RuleCache#partitionFor}), also held weakly: its class keeps it reachable.
 */
final class CachedSite implements Upstream {

  private static final Logger LOG = LoggerFactory.getLogger(CachedSite.class);

  /** The rule's cache; calls use {@link #cache()}, which is the rule's partition for the method's class loader. */
  final RuleCache cache;
  /**
   * The rule's partition of the method's class loader, or {@code null} when its loader is one of the JVM's own;
   * written by {@link #bind} before {@code origin}, so a caller that saw {@code origin} set sees it.
   */
  private WeakReference<RuleCache> partition;
  private final KeyTemplate key;
  private final boolean oneArgument;
  private final String methodName;
  private final String descriptor;
  private volatile WeakReference<Class<?>> origin;
  /** The method itself, for calling it again; held weakly. */
  private final ReflectedMethod method;
  /**
   * The method's return type, boxed: held strongly when the JDK defines it (no host loader kept alive), else weakly
   * like the method. Until bound, any value passes. Written once; a caller that sees it late checks less, never
   * wrongly.
   */
  private Class<?> jdkValueType = Object.class;
  private WeakReference<Class<?>> hostValueType;
  private final ReentrantLock binding = new ReentrantLock();

  /** The prefix of this method's key space, {@code null} when its rule keeps one key space. */
  private final String keyPrefix;
  /** True when the method is declared to return {@code CompletableFuture} or {@code CompletionStage}. */
  private final boolean returnsFuture;
  /**
   * Keys rendered lately, {@code null} when rendering costs nothing: a method without parameters (its key is a
   * constant) or whose one string argument is its own key.
   */
  private final RenderedKeys renderedKeys;
  /**
   * The box of the method's one parameter when it is a {@code long}, {@code int}, {@code short} or {@code byte}
   * (its argument then comes as a {@code long}, see {@link LongArgumentAdvice}); {@code null} otherwise.
   */
  private final Class<?> integralBox;
  /**
   * For a method of two or three parameters, each parameter's box when it is such an integer (its argument then
   * comes as bits, see {@link SplitArguments}), else {@code null}; {@code null} for other methods.
   */
  private final Class<?>[] integralBoxes;
  /** True when the method's one parameter is a string that is its own key: the key is the argument as passed. */
  private final boolean argumentIsKey;
  /**
   * The rule's cache once bound, when {@link #freshHit} may ask its front table: a method that does not return a
   * future, of a class of one of the JVM's own loaders (no partition), in a rule with a front table. Written last in
   * {@link #bind}, so a caller that sees it sees the rest.
   */
  private volatile RuleCache frontRule;
  /** The same for a method of another loader: its partition, held weakly. */
  private volatile WeakReference<RuleCache> frontPartition;
  /** Told the declaring class once, when the method is first called (the Micrometer export looks at its loader). */
  private final Consumer<Class<?>> firstCall;
  /**
   * The rule's tags for this method, {@code {result}} read as the argument after the last; {@code null} when the rule
   * has none.
   */
  private final KeyTemplate[] tags;

  CachedSite(RuleCache cache, KeyTemplate key, java.util.List<TagTemplate> tags, MethodDescription target,
      String keySpace, Consumer<Class<?>> firstCall) {
    this.cache = cache;
    int arity = target.getParameters().size();
    this.tags = tags.isEmpty() ? null : tags.stream().map(t -> t.forArity(arity)).toArray(KeyTemplate[]::new);
    this.firstCall = firstCall;
    this.key = key;
    this.keyPrefix = keySpace == null ? null : cache.addKeySpace(keySpace);
    this.oneArgument = target.getParameters().size() == 1;
    boolean ownKey = key.isSingleArgumentIdentity() && keyPrefix == null
        && target.getParameters().size() == 1 && target.getParameters().get(0).getType().asErasure().represents(
            String.class);
    this.renderedKeys = target.getParameters().isEmpty() || ownKey ? null : new RenderedKeys();
    this.argumentIsKey = ownKey;
    int parameters = target.getParameters().size();
    this.integralBox = parameters == 1 ? integralBox(target.getParameters().get(0).getType().asErasure()) : null;
    this.integralBoxes = parameters == 2 || parameters == 3 ? new Class<?>[parameters] : null;
    for (int i = 0; integralBoxes != null && i < parameters; i++) {
      integralBoxes[i] = integralBox(target.getParameters().get(i).getType().asErasure());
    }
    this.methodName = target.getInternalName();
    this.descriptor = target.getDescriptor();
    this.method = new ReflectedMethod(methodName, descriptor);
    TypeDescription returned = target.getReturnType().asErasure();
    this.returnsFuture = returned.represents(CompletableFuture.class) || returned.represents(CompletionStage.class);
  }

  /**
   * Remembers the class the method is declared in, the first time it is called, takes the rule's partition of its
   * class loader, and tells that cache the declared type of its values (for the Redis codec and copy-on-read): the
   * return type, or for a method that returns a future, the type argument of the future ({@code Object} when the
   * declaration does not say).
   */
  void bind(Class<?> declaringType) {
    if (origin == null) {
      bindOnce(declaringType);
    }
  }

  private void bindOnce(Class<?> declaringType) {
    // a lock, not synchronized: binding loads classes and builds the codec while the method's other first callers,
    // possibly virtual threads, wait
    binding.lock();
    try {
      if (origin == null) {
        bindLocked(declaringType);
      }
    } finally {
      binding.unlock();
    }
  }

  private void bindLocked(Class<?> declaringType) {
    RuleCache bound = cache;
    try {
      bound = cache.partitionFor(declaringType);
      if (bound != cache) {
        partition = new WeakReference<>(bound);
      }
    } catch (Throwable failed) {
      LOG.warn("rule '{}': cannot give {}{} a partition of its class loader ({}); cached with the values of the JVM's"
          + " own loaders", cache.name(), methodName, descriptor, failed.toString());
    }
    try {
      Method m = method.findIn(declaringType);
      Type valueType = returnsFuture ? futureValueType(m.getGenericReturnType()) : m.getGenericReturnType();
      Class<?> returned = boxed(erasure(valueType));
      ClassLoader definer = returned.getClassLoader();
      if (definer == null || definer == ClassLoader.getPlatformClassLoader()) {
        jdkValueType = returned;
      } else {
        hostValueType = new WeakReference<>(returned);
      }
      bound.bindValueType(valueType, declaringType.getClassLoader());
    } catch (Throwable failed) {
      LOG.warn("rule '{}': cannot tell the value type of {}{} ({}); its values stay in memory only", cache.name(),
          methodName, descriptor, failed.toString());
    }
    origin = new WeakReference<>(declaringType);
    if (!returnsFuture && bound.hasFrontTable()) {
      if (bound == cache) {
        frontRule = bound;
      } else {
        frontPartition = partition;
      }
    }
    try {
      firstCall.accept(declaringType);
    } catch (Throwable failed) {
      LOG.debug("rule '{}': the first call of {}{} was not passed on: {}", cache.name(), methodName, descriptor,
          failed.toString());
    }
  }

  /**
   * The value of a fresh hit in the front table (see {@link RuleCache#frontHit}), or {@code null} for "decide in
   * full". Loads only what a hit needs: the rule (one field for a class of the JVM's own loaders), the key as it is
   * passed or remembered, the front table's slot. May throw on an internal fault; the dispatcher catches.
   */
  Object freshHit(Object arguments) {
    RuleCache rule = frontRule();
    if (rule == null) {
      return null;
    }
    String key;
    if (argumentIsKey) {
      if (!(arguments instanceof String)) {
        return null;
      }
      key = (String) arguments;
    } else {
      key = keyOf(arguments);
    }
    return rule.frontHit(key, this);
  }

  /**
   * {@link #freshHit(Object)} for a method of two or three parameters whose arguments came one by one (see
   * {@link SplitArguments}): only a key remembered for these arguments is looked up (nothing is built);
   * {@code null} otherwise.
   */
  Object freshHit(int count, Object first, long firstBits, Object second, long secondBits, Object third,
      long thirdBits) {
    RuleCache rule = frontRule();
    RenderedKeys remembered = renderedKeys;
    if (rule == null || remembered == null) {
      return null;
    }
    String key = remembered.get(integralBoxes, count, first, firstBits, second, secondBits, third, thirdBits);
    return key == null ? null : rule.frontHit(key, this);
  }

  /** The arguments that came one by one (see {@link SplitArguments}) as the array the rest of a call takes. */
  Object[] arguments(int count, Object first, long firstBits, Object second, long secondBits, Object third,
      long thirdBits) {
    Class<?>[] boxes = integralBoxes;
    Object[] all = new Object[count];
    all[0] = boxes[0] == null ? first : box(boxes[0], firstBits);
    all[1] = boxes[1] == null ? second : box(boxes[1], secondBits);
    if (count == 3) {
      all[2] = boxes[2] == null ? third : box(boxes[2], thirdBits);
    }
    return all;
  }

  /** {@link #freshHit(Object)} for a method of one integral parameter, its argument passed as a {@code long}. */
  Object freshHit(long argument) {
    RuleCache rule = frontRule();
    RenderedKeys remembered = renderedKeys;
    if (rule == null || remembered == null) {
      return null;
    }
    String key = remembered.get(argument, integralBox);
    return key == null ? null : rule.frontHit(key, this);
  }

  /** The argument of a method of one integral parameter, passed as a {@code long}, boxed as its declared type. */
  Object boxed(long argument) {
    return box(integralBox, argument);
  }

  /** {@code bits} boxed as {@code box} ({@code Long}, {@code Integer}, {@code Short} or {@code Byte}). */
  private static Object box(Class<?> box, long argument) {
    if (box == Integer.class) {
      return (int) argument;
    }
    if (box == Short.class) {
      return (short) argument;
    }
    if (box == Byte.class) {
      return (byte) argument;
    }
    return argument;
  }

  /** Whether a method of these parameters gets {@link LongArgumentAdvice}: one {@code long} or narrower integer. */
  static boolean takesOneIntegral(MethodDescription method) {
    return method.getParameters().size() == 1
        && integralBox(method.getParameters().get(0).getType().asErasure()) != null;
  }

  private static Class<?> integralBox(TypeDescription type) {
    if (type.represents(long.class)) {
      return Long.class;
    }
    if (type.represents(int.class)) {
      return Integer.class;
    }
    if (type.represents(short.class)) {
      return Short.class;
    }
    return type.represents(byte.class) ? Byte.class : null;
  }

  /** The rule whose front table {@link #freshHit} may ask, or {@code null}. */
  private RuleCache frontRule() {
    RuleCache rule = frontRule;
    if (rule == null) {
      WeakReference<RuleCache> own = frontPartition;
      return own == null ? null : own.get();
    }
    return rule;
  }

  /** The cache that calls of this method use, once {@link #bind} ran: the rule, or its partition of the loader. */
  RuleCache cache() {
    WeakReference<RuleCache> own = partition;
    if (own == null) {
      return cache;
    }
    RuleCache c = own.get();
    // cleared only once the method's loader is gone: then nothing calls it any more
    return c != null ? c : cache;
  }

  /**
   * The tags of a value the method returned for {@code arguments} (what the advice passed): each template rendered
   * over the arguments and the value.
   */
  @Override
  public String[] tags(Object arguments, Object value) {
    KeyTemplate[] templates = tags;
    if (templates == null) {
      return null;
    }
    Object[] given = oneArgument ? new Object[] {arguments}
        : arguments == null ? new Object[0] : (Object[]) arguments;
    Object[] withResult = java.util.Arrays.copyOf(given, given.length + 1);
    withResult[given.length] = value;
    String[] rendered = new String[templates.length];
    for (int i = 0; i < templates.length; i++) {
      rendered[i] = templates[i].render(withResult);
    }
    return rendered;
  }

  /** The cache key of a call; {@code arguments} is what the advice passed. */
  String keyOf(Object arguments) {
    RenderedKeys remembered = renderedKeys;
    if (remembered != null && arguments != null) {
      return rememberedKeyOf(remembered, arguments);
    }
    String rendered = oneArgument ? key.renderOne(arguments) : key.render((Object[]) arguments);
    return keyPrefix == null ? rendered : keyPrefix.concat(rendered);
  }

  /** {@link #keyOf} through the keys rendered lately: a key found there is not built again. */
  private String rememberedKeyOf(RenderedKeys remembered, Object arguments) {
    if (oneArgument) {
      String known = remembered.get(arguments);
      if (known != null) {
        return known;
      }
      String rendered = key.renderOne(arguments);
      String full = keyPrefix == null ? rendered : keyPrefix.concat(rendered);
      if (RenderedKeys.remembers(arguments)) {
        remembered.put(arguments, full);
      }
      return full;
    }
    Object[] all = (Object[]) arguments;
    String known = remembered.get(all);
    if (known != null) {
      return known;
    }
    String rendered = key.render(all);
    String full = keyPrefix == null ? rendered : keyPrefix.concat(rendered);
    if (RenderedKeys.remembers(all)) {
      remembered.put(all, full);
    }
    return full;
  }

  @Override
  public Object call(Object receiver, Object arguments) throws Throwable {
    Object[] args = oneArgument ? new Object[] {arguments} : (Object[]) arguments;
    try {
      return method.get(origin).invoke(receiver, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Class<?> valueType() {
    WeakReference<Class<?>> host = hostValueType;
    if (host == null) {
      return jdkValueType;
    }
    Class<?> type = host.get();
    return type == null ? Object.class : type;
  }

  @Override
  public boolean returnsFuture() {
    return returnsFuture;
  }

  /** {@code T} of {@code CompletableFuture<T>} or {@code CompletionStage<T>}; {@code Object} for a raw type. */
  private static Type futureValueType(Type futureType) {
    if (futureType instanceof ParameterizedType) {
      Type[] arguments = ((ParameterizedType) futureType).getActualTypeArguments();
      if (arguments.length == 1) {
        return arguments[0];
      }
    }
    return Object.class;
  }

  /** The class every value of {@code type} is an instance of. */
  private static Class<?> erasure(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    if (type instanceof ParameterizedType) {
      return erasure(((ParameterizedType) type).getRawType());
    }
    if (type instanceof WildcardType) {
      Type[] upper = ((WildcardType) type).getUpperBounds();
      return upper.length == 0 ? Object.class : erasure(upper[0]);
    }
    if (type instanceof TypeVariable) {
      Type[] bounds = ((TypeVariable<?>) type).getBounds();
      return bounds.length == 0 ? Object.class : erasure(bounds[0]);
    }
    if (type instanceof GenericArrayType) {
      return Array.newInstance(erasure(((GenericArrayType) type).getGenericComponentType()), 0).getClass();
    }
    return Object.class;
  }

  private static Class<?> boxed(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return MethodType.methodType(type).wrap().returnType();
  }

  @Override
  public String toString() {
    return cache.name() + " @ " + methodName + descriptor;
  }
}
