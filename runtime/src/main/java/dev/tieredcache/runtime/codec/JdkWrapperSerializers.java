package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Serializers for the JDK's immutable ({@code List.of}, {@code Set.of}, {@code Map.of}, {@code Stream.toList()})
 * and unmodifiable ({@code Collections.unmodifiable*}) collections. These have no usable constructor and refuse
 * {@code add}, so Kryo's generic collection serializer cannot rebuild them. Each is written as its elements and
 * read back as the same kind of collection: immutable stays immutable, unmodifiable stays unmodifiable, a sorted
 * wrapper keeps its comparator (written as an object, so its class must be allowed too). Elements are read as
 * {@link BoundedSerializers} reads them, bounded by the payload; an immutable set or map whose hash codes would
 * make the JDK's probing slow ({@link HashSpread}) is read back as an unmodifiable {@code LinkedHashSet} or
 * {@code HashMap} instead.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class JdkWrapperSerializers {

  private static final List<Class<?>> IMMUTABLE_LISTS = Arrays.asList(
      List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3).getClass(),
      List.of(1, 2, 3).subList(0, 2).getClass());
  private static final List<Class<?>> IMMUTABLE_SETS = Arrays.asList(
      Set.of().getClass(), Set.of(1).getClass(), Set.of(1, 2, 3).getClass());
  private static final List<Class<?>> IMMUTABLE_MAPS = Arrays.asList(
      Map.of().getClass(), Map.of(1, 1).getClass(), Map.of(1, 1, 2, 2).getClass());

  private JdkWrapperSerializers() {}

  /** The running JDK's class names of its immutable collections. */
  static List<String> immutableClassNames() {
    List<String> names = new ArrayList<>();
    for (List<Class<?>> group : Arrays.asList(IMMUTABLE_LISTS, IMMUTABLE_SETS, IMMUTABLE_MAPS)) {
      for (Class<?> c : group) {
        names.add(c.getName());
      }
    }
    return names;
  }

  /** Adds these serializers as default serializers; subclasses of a wrapper come before the wrapper. */
  static void addDefaults(Kryo kryo) {
    Serializer immutableList = new ImmutableListSerializer();
    for (Class<?> c : IMMUTABLE_LISTS) {
      kryo.addDefaultSerializer(c, immutableList);
    }
    Serializer immutableSet = new ImmutableSetSerializer();
    for (Class<?> c : IMMUTABLE_SETS) {
      kryo.addDefaultSerializer(c, immutableSet);
    }
    Serializer immutableMap = new ImmutableMapSerializer();
    for (Class<?> c : IMMUTABLE_MAPS) {
      kryo.addDefaultSerializer(c, immutableMap);
    }
    for (CollectionKind kind : CollectionKind.values()) {
      kryo.addDefaultSerializer(kind.wrapperClass, new UnmodifiableCollectionSerializer(kind));
    }
    for (MapKind kind : MapKind.values()) {
      kryo.addDefaultSerializer(kind.wrapperClass, new UnmodifiableMapSerializer(kind));
    }
  }

  private static void writeElements(Kryo kryo, Output output, Object[] elements) {
    BoundedSerializers.writeElements(kryo, output, elements, elements.length);
  }

  private static Object[] readElements(Kryo kryo, Input input) {
    return BoundedSerializers.readElements(kryo, input, false);
  }

  private static Object[] readSetElements(Kryo kryo, Input input) {
    return BoundedSerializers.readElements(kryo, input, true);
  }

  private static void writeEntries(Kryo kryo, Output output, Map<?, ?> map) {
    BoundedSerializers.writeEntries(kryo, output, map);
  }

  private static <M extends Map<Object, Object>> M readEntries(Kryo kryo, Input input, M into) {
    return BoundedSerializers.readEntries(kryo, input, BoundedSerializers.hashesKeys(into.getClass())).into(into);
  }

  private static boolean containsNull(Object[] elements) {
    for (Object e : elements) {
      if (e == null) {
        return true;
      }
    }
    return false;
  }

  /** {@code List.of(...)}; also {@code Stream.toList()}, whose list may hold nulls and is then read back as an
   * unmodifiable list. */
  static final class ImmutableListSerializer extends Serializer<List> {
    ImmutableListSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, List list) {
      writeElements(kryo, output, list.toArray());
    }

    @Override
    public List read(Kryo kryo, Input input, Class<? extends List> type) {
      Object[] elements = readElements(kryo, input);
      return containsNull(elements) ? Collections.unmodifiableList(Arrays.asList(elements)) : List.of(elements);
    }
  }

  static final class ImmutableSetSerializer extends Serializer<Set> {
    ImmutableSetSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Set set) {
      writeElements(kryo, output, set.toArray());
    }

    /** {@code Set.of}, unless its probing would be slow: then an unmodifiable {@code LinkedHashSet}. */
    @Override
    public Set read(Kryo kryo, Input input, Class<? extends Set> type) {
      Object[] elements = readSetElements(kryo, input);
      if (HashSpread.probesCheaply(HashSpread.check(elements))) {
        return Set.of(elements);
      }
      return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(elements)));
    }
  }

  static final class ImmutableMapSerializer extends Serializer<Map> {
    ImmutableMapSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map map) {
      writeEntries(kryo, output, map);
    }

    /** {@code Map.copyOf}, unless its probing would be slow: then an unmodifiable {@code HashMap}. */
    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      BoundedSerializers.Entries entries = BoundedSerializers.readEntries(kryo, input, true);
      Map<Object, Object> map = entries.into(new HashMap<>());
      if (HashSpread.probesCheaply(HashSpread.sortedHashes(map.keySet().toArray()))) {
        return Map.copyOf(map);
      }
      return Collections.unmodifiableMap(map);
    }
  }

  /** The {@code Collections.unmodifiable*} collection wrappers, most specific first. */
  enum CollectionKind {
    NAVIGABLE_SET(Collections.unmodifiableNavigableSet(new TreeSet<>()).getClass(), true) {
      @Override
      Collection<Object> rebuild(Comparator<Object> comparator, Object[] elements) {
        TreeSet<Object> set = new TreeSet<>(comparator);
        set.addAll(Arrays.asList(elements));
        return Collections.unmodifiableNavigableSet(set);
      }
    },
    SORTED_SET(Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(), true) {
      @Override
      Collection<Object> rebuild(Comparator<Object> comparator, Object[] elements) {
        TreeSet<Object> set = new TreeSet<>(comparator);
        set.addAll(Arrays.asList(elements));
        return Collections.unmodifiableSortedSet(set);
      }
    },
    SET(Collections.unmodifiableSet(new HashSet<>()).getClass(), false) {
      @Override
      Collection<Object> rebuild(Comparator<Object> comparator, Object[] elements) {
        HashSpread.check(elements);
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(elements)));
      }
    },
    RANDOM_ACCESS_LIST(Collections.unmodifiableList(new ArrayList<>()).getClass(), false) {
      @Override
      Collection<Object> rebuild(Comparator<Object> comparator, Object[] elements) {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(elements)));
      }
    },
    LIST(Collections.unmodifiableList(new LinkedList<>()).getClass(), false) {
      @Override
      Collection<Object> rebuild(Comparator<Object> comparator, Object[] elements) {
        return Collections.unmodifiableList(new LinkedList<>(Arrays.asList(elements)));
      }
    },
    COLLECTION(Collections.unmodifiableCollection(new ArrayList<>()).getClass(), false) {
      @Override
      Collection<Object> rebuild(Comparator<Object> comparator, Object[] elements) {
        return Collections.unmodifiableCollection(new ArrayList<>(Arrays.asList(elements)));
      }
    };

    final Class<?> wrapperClass;
    final boolean sorted;

    CollectionKind(Class<?> wrapperClass, boolean sorted) {
      this.wrapperClass = wrapperClass;
      this.sorted = sorted;
    }

    abstract Collection<Object> rebuild(Comparator<Object> comparator, Object[] elements);
  }

  /** The {@code Collections.unmodifiable*} map wrappers, most specific first. */
  enum MapKind {
    NAVIGABLE_MAP(Collections.unmodifiableNavigableMap(new TreeMap<>()).getClass(), true),
    SORTED_MAP(Collections.unmodifiableSortedMap(new TreeMap<>()).getClass(), true),
    MAP(Collections.unmodifiableMap(new HashMap<>()).getClass(), false);

    final Class<?> wrapperClass;
    final boolean sorted;

    MapKind(Class<?> wrapperClass, boolean sorted) {
      this.wrapperClass = wrapperClass;
      this.sorted = sorted;
    }
  }

  static final class UnmodifiableCollectionSerializer extends Serializer<Collection> {
    private final CollectionKind kind;

    UnmodifiableCollectionSerializer(CollectionKind kind) {
      super(false, true);
      this.kind = kind;
    }

    @Override
    public void write(Kryo kryo, Output output, Collection collection) {
      if (kind.sorted) {
        kryo.writeClassAndObject(output, ((SortedSet) collection).comparator());
      }
      writeElements(kryo, output, collection.toArray());
    }

    @Override
    public Collection read(Kryo kryo, Input input, Class<? extends Collection> type) {
      Comparator<Object> comparator = kind.sorted ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
      return kind.rebuild(comparator, kind == CollectionKind.SET ? readSetElements(kryo, input)
          : readElements(kryo, input));
    }
  }

  static final class UnmodifiableMapSerializer extends Serializer<Map> {
    private final MapKind kind;

    UnmodifiableMapSerializer(MapKind kind) {
      super(false, true);
      this.kind = kind;
    }

    @Override
    public void write(Kryo kryo, Output output, Map map) {
      if (kind.sorted) {
        kryo.writeClassAndObject(output, ((SortedMap) map).comparator());
      }
      writeEntries(kryo, output, map);
    }

    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      if (!kind.sorted) {
        return Collections.unmodifiableMap(readEntries(kryo, input, new LinkedHashMap<>()));
      }
      TreeMap<Object, Object> map = new TreeMap<>((Comparator<Object>) kryo.readClassAndObject(input));
      readEntries(kryo, input, map);
      return kind == MapKind.NAVIGABLE_MAP ? Collections.unmodifiableNavigableMap(map)
          : Collections.unmodifiableSortedMap(map);
    }
  }
}
