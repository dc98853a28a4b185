package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptySetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonSetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSetSerializer;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The collection, map and object-array serializers of the codec, written so that decoding does work in proportion
 * to the payload's size whatever its bytes say.
 *
 * <p>Wire form: a size (varint), then every element with its class ({@code writeClassAndObject}); a map writes key
 * and value in turn; a sorted collection or map writes its comparator first. Unlike Kryo's own serializers,
 * which write an all-null collection as its size alone and rebuild a collection by {@code add()} into a
 * pre-sized instance, these
 * <ul>
 *   <li>spend at least one byte per element, so a size larger than the bytes left is refused before anything is
 *       allocated, and a buffer grows only as elements arrive (nested claims cannot multiply allocations);</li>
 *   <li>read the elements into an array first and build the collection from it in one go
 *       ({@code CopyOnWriteArrayList} from the array: Kryo's {@code add()} loop copied it once per element);</li>
 *   <li>check the elements' hash codes before filling a hashed set or map ({@link HashSpread}).</li>
 * </ul>
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class BoundedSerializers {

  /**
   * Most elements of a {@code CopyOnWriteArraySet}: the JDK builds one by checking every element against every
   * other (there is no linear way in), so its size is capped instead.
   */
  static final int MAX_COPY_ON_WRITE_SET_ELEMENTS = 256;

  private static final int FIRST_BUFFER = 16;
  private static final Class<?> ARRAYS_AS_LIST = Arrays.asList().getClass();

  private BoundedSerializers() {}

  /**
   * Adds these serializers as default serializers of {@code kryo}. Kryo tries default serializers in the order
   * they were added (added ones before its built-ins), so the specific ones come first and the catch-all
   * {@code Collection}, {@code Map} and object-array ones last; Kryo's built-ins for specific types that allocate
   * nothing from a length are added again ahead of the catch-alls so those do not shadow them.
   */
  static void addDefaults(Kryo kryo) {
    kryo.addDefaultSerializer(Collections.EMPTY_LIST.getClass(), CollectionsEmptyListSerializer.class);
    kryo.addDefaultSerializer(Collections.EMPTY_MAP.getClass(), CollectionsEmptyMapSerializer.class);
    kryo.addDefaultSerializer(Collections.EMPTY_SET.getClass(), CollectionsEmptySetSerializer.class);
    kryo.addDefaultSerializer(Collections.singletonList(null).getClass(), CollectionsSingletonListSerializer.class);
    kryo.addDefaultSerializer(Collections.singletonMap(null, null).getClass(), CollectionsSingletonMapSerializer.class);
    kryo.addDefaultSerializer(Collections.singleton(null).getClass(), CollectionsSingletonSetSerializer.class);
    kryo.addDefaultSerializer(EnumSet.class, EnumSetSerializer.class);

    kryo.addDefaultSerializer(Collection.class, new ElementsSerializer());
    kryo.addDefaultSerializer(Map.class, new EntriesSerializer());
    kryo.addDefaultSerializer(boolean[].class, BoundedBooleanArraySerializer.class);
    // byte[], int[], long[], ... are read through Input.readBytes/readInts/..., which BoundedInput checks.
    kryo.addDefaultSerializer(Object[].class, new ObjectArraySerializer());
  }

  /** Writes {@code count} elements as {@link #readElements} reads them. */
  static void writeElements(Kryo kryo, Output output, Object[] elements, int count) {
    output.writeVarInt(count, true);
    for (int i = 0; i < count; i++) {
      kryo.writeClassAndObject(output, elements[i]);
    }
  }

  /**
   * Reads a size and that many elements, each with its class. The size is checked against the bytes left before
   * anything is allocated, and the array grows only as elements arrive.
   */
  static Object[] readElements(Kryo kryo, Input input) {
    return readElements(kryo, input, false);
  }

  /**
   * {@link #readElements}; with {@code hashed} the elements are to fill a set that hashes or compares them (any set
   * but a sorted one), and one that holds a hashed set or map itself is refused ({@link #readHashedKey}).
   */
  static Object[] readElements(Kryo kryo, Input input, boolean hashed) {
    int count = input.readVarInt(true);
    BoundedInput.requireAvailable(input, count);
    if (hashed) {
      BoundedInput.openHashed(input);
    }
    Object[] elements = new Object[Math.min(count, FIRST_BUFFER)];
    for (int i = 0; i < count; i++) {
      if (i == elements.length) {
        elements = Arrays.copyOf(elements, (int) Math.min(count, 2L * elements.length));
      }
      elements[i] = hashed ? readHashedKey(kryo, input) : kryo.readClassAndObject(input);
    }
    return elements;
  }

  /**
   * Reads an element of a hashed set or a key of a hashed map, refusing one that holds a hashed set or map at any
   * depth. Hashing such a key walks all of it, and comparing two of them looks each inner key up in the other's
   * inner map, which compares the inner keys that share a hash code, and so on down: with a few colliding keys per
   * level the work grows exponentially with the depth (a 1.6 KB payload of maps keyed by maps cost 33 ms of CPU on
   * every decode, found by fuzzing). Without hashed containers inside, a key hashes and compares in time linear in
   * its size, and {@link HashSpread} bounds how many keys it is compared with. Keys that are lists, arrays, sorted
   * sets and maps, records and objects of scalars are unaffected; such values are rare and are cached in memory
   * as before (copy-on-read copies them too: its bytes are this process's own), a Redis copy of one reads as a miss.
   */
  static Object readHashedKey(Kryo kryo, Input input) {
    long before = BoundedInput.hashedOpened(input);
    Object key = kryo.readClassAndObject(input);
    if (BoundedInput.hashedOpened(input) != before && !BoundedInput.holdsOwnBytes(input)) {
      throw new KryoException("a key of a hashed map or an element of a hashed set that holds a hashed set or map"
          + " itself is not decoded: hashing and comparing such keys can cost far more than their bytes");
    }
    return key;
  }

  /** Whether a collection of {@code type} hashes or compares its elements: every set but a sorted one. */
  static boolean hashes(Class<?> type) {
    return Set.class.isAssignableFrom(type) && !SortedSet.class.isAssignableFrom(type)
        && !EnumSet.class.isAssignableFrom(type);
  }

  /** Whether a map of {@code type} hashes its keys: every map but a sorted, an identity or an enum map. */
  static boolean hashesKeys(Class<?> type) {
    return !SortedMap.class.isAssignableFrom(type) && !IdentityHashMap.class.isAssignableFrom(type)
        && !EnumMap.class.isAssignableFrom(type);
  }

  /** Writes a map as {@link #readEntries} reads it: the size, then key and value in turn. */
  static void writeEntries(Kryo kryo, Output output, Map<?, ?> map) {
    Object[] entries = map.entrySet().toArray();
    output.writeVarInt(entries.length, true);
    for (Object o : entries) {
      Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
      kryo.writeClassAndObject(output, e.getKey());
      kryo.writeClassAndObject(output, e.getValue());
    }
  }

  /** The keys and values {@link #writeEntries} wrote; bounded like {@link #readElements}. */
  static Entries readEntries(Kryo kryo, Input input) {
    return readEntries(kryo, input, false);
  }

  /** {@link #readEntries}; with {@code hashed} the map hashes its keys, read as {@link #readHashedKey} says. */
  static Entries readEntries(Kryo kryo, Input input, boolean hashed) {
    int count = input.readVarInt(true);
    BoundedInput.requireAvailable(input, 2L * count);
    if (hashed) {
      BoundedInput.openHashed(input);
    }
    Object[] keys = new Object[Math.min(count, FIRST_BUFFER)];
    Object[] values = new Object[keys.length];
    for (int i = 0; i < count; i++) {
      if (i == keys.length) {
        int grown = (int) Math.min(count, 2L * keys.length);
        keys = Arrays.copyOf(keys, grown);
        values = Arrays.copyOf(values, grown);
      }
      keys[i] = hashed ? readHashedKey(kryo, input) : kryo.readClassAndObject(input);
      values[i] = kryo.readClassAndObject(input);
    }
    return new Entries(keys, values);
  }

  /** The keys and values of a map as read, before any map is built. */
  static final class Entries {
    final Object[] keys;
    final Object[] values;

    Entries(Object[] keys, Object[] values) {
      this.keys = keys;
      this.values = values;
    }

    /** Puts every entry into {@code map}, after checking the keys' hash codes when {@code map} hashes them. */
    <M extends Map<Object, Object>> M into(M map) {
      if (!(map instanceof SortedMap) && !(map instanceof IdentityHashMap)) {
        HashSpread.check(keys);
      }
      for (int i = 0; i < keys.length; i++) {
        map.put(keys[i], values[i]);
      }
      return map;
    }
  }

  /** Every {@code Collection} without a serializer of its own. */
  static final class ElementsSerializer extends Serializer<Collection> {
    ElementsSerializer() {
      super(false, false);
    }

    @Override
    public void write(Kryo kryo, Output output, Collection collection) {
      if (collection instanceof SortedSet) {
        kryo.writeClassAndObject(output, ((SortedSet) collection).comparator());
      } else if (collection instanceof PriorityQueue) {
        kryo.writeClassAndObject(output, ((PriorityQueue) collection).comparator());
      }
      Object[] elements = collection.toArray();
      writeElements(kryo, output, elements, elements.length);
    }

    @Override
    public Collection read(Kryo kryo, Input input, Class<? extends Collection> type) {
      Comparator comparator = null;
      if (SortedSet.class.isAssignableFrom(type) || PriorityQueue.class.isAssignableFrom(type)) {
        comparator = (Comparator) kryo.readClassAndObject(input);
      }
      Object[] elements = readElements(kryo, input, hashes(type));
      List<Object> list = Arrays.asList(elements);
      if (type == ArrayList.class) {
        return new ArrayList<>(list);
      }
      if (type == ARRAYS_AS_LIST) {
        return list;
      }
      if (type == CopyOnWriteArrayList.class) {
        return new CopyOnWriteArrayList<>(elements);
      }
      if (type == CopyOnWriteArraySet.class && elements.length > MAX_COPY_ON_WRITE_SET_ELEMENTS) {
        throw new KryoException("a CopyOnWriteArraySet of " + elements.length + " elements is refused: the JDK"
            + " builds one in quadratic time, so at most " + MAX_COPY_ON_WRITE_SET_ELEMENTS + " are read");
      }
      Collection collection;
      if (type == TreeSet.class) {
        collection = new TreeSet<>(comparator);
      } else if (type == PriorityQueue.class) {
        collection = new PriorityQueue<>(Math.max(1, elements.length), comparator);
      } else {
        collection = kryo.newInstance(type);
        if (comparator != null) {
          throw new KryoException("a " + type.getName() + " with a comparator cannot be rebuilt");
        }
      }
      if (collection instanceof Set && !(collection instanceof SortedSet)) {
        HashSpread.check(elements);
      }
      collection.addAll(list);
      return collection;
    }
  }

  /** Every {@code Map} without a serializer of its own. */
  static final class EntriesSerializer extends Serializer<Map> {
    EntriesSerializer() {
      super(false, false);
    }

    @Override
    public void write(Kryo kryo, Output output, Map map) {
      if (map instanceof SortedMap) {
        kryo.writeClassAndObject(output, ((SortedMap) map).comparator());
      }
      writeEntries(kryo, output, map);
    }

    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      Comparator comparator = null;
      if (SortedMap.class.isAssignableFrom(type)) {
        comparator = (Comparator) kryo.readClassAndObject(input);
      }
      Entries entries = readEntries(kryo, input, hashesKeys(type));
      Map map;
      if (type == TreeMap.class) {
        map = new TreeMap<>(comparator);
      } else if (type == ConcurrentSkipListMap.class) {
        map = new ConcurrentSkipListMap<>(comparator);
      } else {
        map = kryo.newInstance(type);
        if (comparator != null) {
          throw new KryoException("a " + type.getName() + " with a comparator cannot be rebuilt");
        }
      }
      return entries.into(map);
    }
  }

  /** Arrays of any reference type ({@code String[]}, {@code Product[]}, {@code Object[][]}). */
  static final class ObjectArraySerializer extends Serializer<Object[]> {
    ObjectArraySerializer() {
      super(false, false);
    }

    @Override
    public void write(Kryo kryo, Output output, Object[] array) {
      writeElements(kryo, output, array, array.length);
    }

    @Override
    public Object[] read(Kryo kryo, Input input, Class<? extends Object[]> type) {
      Object[] elements = readElements(kryo, input);
      Object[] array = (Object[]) Array.newInstance(type.getComponentType(), elements.length);
      // ArrayStoreException when an element is not of the component type: a corrupt payload.
      System.arraycopy(elements, 0, array, 0, elements.length);
      return array;
    }
  }

  /** Kryo's, with the length checked first: Kryo allocates the array from it before reading any element. */
  public static final class BoundedBooleanArraySerializer extends BooleanArraySerializer {
    @Override
    public boolean[] read(Kryo kryo, Input input, Class type) {
      int start = input.position();
      int lengthPlusOne = input.readVarInt(true);
      input.setPosition(start);
      BoundedInput.requireAvailable(input, lengthPlusOne - 1L);
      return super.read(kryo, input, type);
    }
  }
}
