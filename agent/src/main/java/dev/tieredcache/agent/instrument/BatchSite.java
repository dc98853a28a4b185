package dev.tieredcache.agent.instrument;

import dev.tieredcache.agent.rules.KeyTemplate;
import dev.tieredcache.agent.rules.TagTemplate;
import dev.tieredcache.runtime.BatchUpstream;
import dev.tieredcache.runtime.RuleCache;
import java.lang.ref.WeakReference;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import net.bytebuddy.description.method.MethodDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrumented method of a batch rule (SPEC §3 "Batch rules"): its ids are looked up one by one in the caching
 * rule it names, under the keys that rule's method renders for them, so {@code find(7)} and {@code findAll([7, 8])}
 * share entries. The method is called again, reflectively, with only the ids that must be loaded, as the same kind
 * of collection the caller passed; that call runs the original code (its ids are all being loaded: see the runtime's
 * load scope). The caller gets the declared kind of result, with the elements in the order of the ids asked for.
 */
final class BatchSite {

  private static final Logger LOG = LoggerFactory.getLogger(BatchSite.class);

  /** The named rule's cache; calls use its partition of the method's class loader. */
  private final RuleCache cache;
  private volatile WeakReference<RuleCache> partition;
  /** The named rule's key over its one argument, the id; with its method's key space, if the rule keeps several. */
  private final KeyTemplate idKey;
  private final String keyPrefix;
  /** The key of a returned element, which must be the key of the id it answers. */
  private final KeyTemplate elementKey;
  /** The named rule's tags, over the id and {@code {result}}; {@code null} without. */
  private final KeyTemplate[] tags;
  /** True when the named rule's method returns {@code Optional}: an element is cached as the Optional of it. */
  private final boolean optionalValues;
  private final int idsIndex;
  private final boolean oneArgument;
  private final String methodName;
  private final String descriptor;
  private final String ruleName;
  /** The method itself, for calling it again; held weakly. */
  private final ReflectedMethod method;
  /** The class the method is declared in, held weakly: the method is looked up again once its copy was dropped. */
  private volatile WeakReference<Class<?>> origin;
  private volatile boolean bound;
  /**
   * Set when a returned element's key was none of the ids' keys: the rule's {@code key:} does not render the named
   * rule's keys, so every call of the method runs uncached from then on (logged once).
   */
  private volatile boolean keyMismatch;
  private Class<?> elementClass = Object.class;
  private final ReentrantLock binding = new ReentrantLock();

  BatchSite(String ruleName, RuleCache cache, KeyTemplate idKey, String keySpace, List<TagTemplate> tags,
      boolean optionalValues, KeyTemplate elementKey, int idsIndex, MethodDescription target) {
    this.ruleName = ruleName;
    this.cache = cache;
    this.idKey = idKey;
    this.keyPrefix = keySpace == null ? null : cache.addKeySpace(keySpace);
    this.tags = tags.isEmpty() ? null : tags.stream().map(t -> t.forArity(1)).toArray(KeyTemplate[]::new);
    this.optionalValues = optionalValues;
    this.elementKey = elementKey;
    this.idsIndex = idsIndex;
    this.oneArgument = target.getParameters().size() == 1;
    this.methodName = target.getInternalName();
    this.descriptor = target.getDescriptor();
    this.method = new ReflectedMethod(methodName, descriptor);
  }

  /**
   * A call of the method: the result to return instead of running it, or {@code null} to run it as usual (nothing to
   * look up, or anything of the agent's own failed). Throws what the method threw when it was called for the ids to
   * load and some id has no value.
   */
  Object enter(Class<?> origin, Object receiver, Object arguments) {
    Call call;
    String[] keys;
    Object[] ids;
    RuleCache rules;
    if (keyMismatch) {
      return null;
    }
    try {
      bind(origin);
      Object[] args = oneArgument ? new Object[] {arguments} : (Object[]) arguments;
      Object given = args[idsIndex];
      if (given == null) {
        return null;
      }
      Map<String, Object> byKey = new LinkedHashMap<>();
      for (Object id : iterate(given)) {
        if (id == null) {
          // the method decides what a null id means
          return null;
        }
        byKey.putIfAbsent(key(idKey.renderOne(id)), id);
      }
      if (byKey.isEmpty()) {
        return null;
      }
      keys = byKey.keySet().toArray(new String[0]);
      ids = byKey.values().toArray();
      call = new Call(this, args, given);
      rules = cache();
    } catch (Throwable failed) {
      LOG.debug("batch rule '{}': {}{} runs uncached: {}", ruleName, methodName, descriptor, failed.toString());
      return null;
    }
    Object[] values = rules.getAll(keys, ids, call, receiver);
    if (values == null) {
      return null;
    }
    try {
      return call.result(ids, values);
    } catch (Throwable failed) {
      LOG.warn("batch rule '" + ruleName + "': cannot build the result of " + methodName + descriptor
          + "; calling it uncached", failed);
      return null;
    }
  }

  private String key(String rendered) {
    return keyPrefix == null ? rendered : keyPrefix.concat(rendered);
  }

  private static Iterable<?> iterate(Object given) {
    if (given instanceof Iterable) {
      return (Iterable<?>) given;
    }
    if (given.getClass().isArray()) {
      int n = Array.getLength(given);
      List<Object> all = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        all.add(Array.get(given, i));
      }
      return all;
    }
    throw new IllegalArgumentException("the ids argument is a " + given.getClass().getName()
        + ", neither a collection nor an array");
  }

  private void bind(Class<?> declaringType) throws NoSuchMethodException {
    if (bound) {
      return;
    }
    binding.lock();
    try {
      if (bound) {
        return;
      }
      RuleCache own = cache.partitionFor(declaringType);
      if (own != cache) {
        partition = new WeakReference<>(own);
      }
      Method m = method.findIn(declaringType);
      origin = new WeakReference<>(declaringType);
      Type element = elementType(m.getGenericReturnType());
      elementClass = erasure(element);
      try {
        own.bindValueType(optionalValues ? new OptionalOf(element) : element, declaringType.getClassLoader());
      } catch (Throwable failed) {
        LOG.warn("batch rule '{}': cannot tell the value type of {}{} ({}); its values stay in memory only",
            ruleName, methodName, descriptor, failed.toString());
      }
      bound = true;
    } finally {
      binding.unlock();
    }
  }

  private RuleCache cache() {
    WeakReference<RuleCache> own = partition;
    RuleCache c = own == null ? null : own.get();
    return c != null ? c : cache;
  }

  /** The type of one element of a result: the value type of a map, the element type of a collection or array. */
  private static Type elementType(Type returned) {
    if (returned instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) returned;
      Type[] arguments = p.getActualTypeArguments();
      Class<?> raw = erasure(p.getRawType());
      if (Map.class.isAssignableFrom(raw) && arguments.length == 2) {
        return arguments[1];
      }
      if (arguments.length == 1) {
        return arguments[0];
      }
    }
    if (returned instanceof GenericArrayType) {
      return ((GenericArrayType) returned).getGenericComponentType();
    }
    if (returned instanceof Class && ((Class<?>) returned).isArray()) {
      return ((Class<?>) returned).getComponentType();
    }
    return Object.class;
  }

  private static Class<?> erasure(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    if (type instanceof ParameterizedType) {
      return erasure(((ParameterizedType) type).getRawType());
    }
    return Object.class;
  }

  @Override
  public String toString() {
    return "batch " + ruleName + " @ " + methodName + descriptor;
  }

  /** One batch call: how its ids go to the method, and how what it returns is read. */
  private static final class Call implements BatchUpstream {
    private final BatchSite site;
    private final Object[] arguments;
    /** The ids as the caller passed them: the kind of collection the method is called with. */
    private final Object given;

    Call(BatchSite site, Object[] arguments, Object given) {
      this.site = site;
      this.arguments = arguments;
      this.given = given;
    }

    @Override
    public Map<String, Object> load(Object receiver, List<Object> ids) throws Throwable {
      Method m;
      Object[] args;
      try {
        m = site.method.get(site.origin);
        args = arguments.clone();
        args[site.idsIndex] = sameKindAs(given, ids, m.getParameterTypes()[site.idsIndex]);
      } catch (Throwable failed) {
        throw new NotCallable("cannot pass the ids to load: " + failed, failed);
      }
      Object returned;
      try {
        returned = m.invoke(receiver, args);
      } catch (InvocationTargetException thrown) {
        throw thrown.getCause();
      } catch (IllegalAccessException | IllegalArgumentException failed) {
        throw new NotCallable("cannot call " + m, failed);
      }
      try {
        return byKey(returned, ids);
      } catch (Throwable failed) {
        throw new NotCallable("cannot read what " + m.getName() + " returned: " + failed, failed);
      }
    }

    /** The value of each id found in {@code returned}, by its key. */
    private Map<String, Object> byKey(Object returned, List<Object> ids) {
      Map<String, Object> found = new LinkedHashMap<>();
      if (returned == null) {
        return found;
      }
      if (returned instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) returned).entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            found.put(site.key(site.idKey.renderOne(e.getKey())), site.stored(e.getValue()));
          }
        }
      } else {
        Object[] element = new Object[1];
        for (Object e : iterate(returned)) {
          if (e != null) {
            element[0] = e;
            found.put(site.key(site.elementKey.render(element)), site.stored(e));
          }
        }
      }
      if (!found.isEmpty()) {
        Set<String> asked = new java.util.HashSet<>();
        for (Object id : ids) {
          asked.add(site.key(site.idKey.renderOne(id)));
        }
        for (String key : found.keySet()) {
          if (!asked.contains(key)) {
            // a key template that does not render the ids' keys would cache every id as not found
            if (!site.keyMismatch) {
              site.keyMismatch = true;
              LOG.error("batch rule '" + site.ruleName + "': " + site.methodName + " returned an element whose key '"
                  + key + "' is none of the keys of the ids asked for; its key: does not render the key that rule '"
                  + site.cache.name() + "' makes of an id (with key: \"{0}\" there, write key: \"{id}\" here, naming"
                  + " the element's id property); the method runs uncached from now on");
            }
            throw new IllegalStateException("an element's key '" + key + "' is none of the keys of the ids asked for;"
                + " does batch key: render the key that rule '" + site.cache.name() + "' renders for the id?");
          }
        }
      }
      return found;
    }

    /** The result of the declared type: the value of each id, in order, ids not found left out. */
    Object result(Object[] ids, Object[] values) throws ReflectiveOperationException {
      Method m = site.method.get(site.origin);
      Class<?> declared = m.getReturnType();
      List<Object> elements = new ArrayList<>(values.length);
      Map<Object, Object> byId = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        Object element = site.element(values[i]);
        if (element != null) {
          elements.add(element);
          byId.put(ids[i], element);
        }
      }
      if (Map.class.isAssignableFrom(declared)) {
        if (declared.isAssignableFrom(LinkedHashMap.class)) {
          return byId;
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) declared.getDeclaredConstructor().newInstance();
        map.putAll(byId);
        return map;
      }
      if (declared.isArray()) {
        Object array = Array.newInstance(declared.getComponentType(), elements.size());
        for (int i = 0; i < elements.size(); i++) {
          Array.set(array, i, elements.get(i));
        }
        return array;
      }
      if (declared.isAssignableFrom(ArrayList.class)) {
        return elements;
      }
      if (declared.isAssignableFrom(LinkedHashSet.class)) {
        return new LinkedHashSet<>(elements);
      }
      @SuppressWarnings("unchecked")
      Collection<Object> made = (Collection<Object>) declared.getDeclaredConstructor().newInstance();
      made.addAll(elements);
      return made;
    }

    /** {@code ids} as the same kind of collection or array as {@code given}, and an instance of {@code declared}. */
    private static Object sameKindAs(Object given, List<Object> ids, Class<?> declared)
        throws ReflectiveOperationException {
      Object made;
      if (given.getClass().isArray()) {
        Object array = Array.newInstance(given.getClass().getComponentType(), ids.size());
        for (int i = 0; i < ids.size(); i++) {
          Array.set(array, i, ids.get(i));
        }
        made = array;
      } else if (given instanceof Set) {
        made = new LinkedHashSet<>(ids);
      } else {
        made = new ArrayList<>(ids);
      }
      if (declared.isInstance(made)) {
        return made;
      }
      // a declared concrete collection (ArrayList, TreeSet, ...): one of the caller's own class
      @SuppressWarnings("unchecked")
      Collection<Object> own = (Collection<Object>) given.getClass().getDeclaredConstructor().newInstance();
      own.addAll(ids);
      return own;
    }

    @Override
    public Object notFound() {
      return site.optionalValues ? Optional.empty() : null;
    }

    @Override
    public Class<?> valueType() {
      return site.optionalValues ? Optional.class : site.elementClass;
    }

    @Override
    public String[] tags(Object id, Object value) {
      KeyTemplate[] templates = site.tags;
      if (templates == null) {
        return null;
      }
      Object[] withResult = {id, value};
      String[] rendered = new String[templates.length];
      for (int i = 0; i < templates.length; i++) {
        rendered[i] = templates[i].render(withResult);
      }
      return rendered;
    }
  }

  /** An element as the named rule caches it. */
  private Object stored(Object element) {
    return optionalValues ? Optional.of(element) : element;
  }

  /** The element of a cached value; {@code null} for an id not found. */
  private Object element(Object value) {
    if (optionalValues && value instanceof Optional) {
      return ((Optional<?>) value).orElse(null);
    }
    return value;
  }

  /** {@code Optional<element>}, for the codec of a rule whose method returns {@code Optional}. */
  private static final class OptionalOf implements ParameterizedType {
    private final Type element;

    OptionalOf(Type element) {
      this.element = element;
    }

    @Override
    public Type[] getActualTypeArguments() {
      return new Type[] {element};
    }

    @Override
    public Type getRawType() {
      return Optional.class;
    }

    @Override
    public Type getOwnerType() {
      return null;
    }

    @Override
    public String toString() {
      return "java.util.Optional<" + element.getTypeName() + ">";
    }
  }
}
