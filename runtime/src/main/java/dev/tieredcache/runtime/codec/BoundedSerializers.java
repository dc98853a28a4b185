package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ArraysAsListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptySetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonSetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ConcurrentSkipListMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeSetSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Kryo's collection, map and array serializers, changed only so that a length read from the payload is checked
 * against {@link BoundedInput} before anything is allocated from it. Kryo's own versions pre-size an
 * {@code ArrayList}, a {@code HashMap} or an array from that length, so one corrupt varint could ask for gigabytes.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class BoundedSerializers {

  private BoundedSerializers() {}

  /**
   * Adds the bounded serializers as default serializers of {@code kryo}. Kryo tries default serializers in the
   * order they were added (added ones before its built-ins), so the specific ones come first and the catch-all
   * {@code Collection} and {@code Map} ones last; Kryo's built-ins for specific types that allocate nothing from
   * a length are added again ahead of the catch-alls so those do not shadow them.
   */
  static void addDefaults(Kryo kryo) {
    kryo.addDefaultSerializer(Collections.EMPTY_LIST.getClass(), CollectionsEmptyListSerializer.class);
    kryo.addDefaultSerializer(Collections.EMPTY_MAP.getClass(), CollectionsEmptyMapSerializer.class);
    kryo.addDefaultSerializer(Collections.EMPTY_SET.getClass(), CollectionsEmptySetSerializer.class);
    kryo.addDefaultSerializer(Collections.singletonList(null).getClass(), CollectionsSingletonListSerializer.class);
    kryo.addDefaultSerializer(Collections.singletonMap(null, null).getClass(), CollectionsSingletonMapSerializer.class);
    kryo.addDefaultSerializer(Collections.singleton(null).getClass(), CollectionsSingletonSetSerializer.class);
    kryo.addDefaultSerializer(EnumSet.class, EnumSetSerializer.class);

    kryo.addDefaultSerializer(Arrays.asList().getClass(), BoundedArraysAsListSerializer.class);
    kryo.addDefaultSerializer(TreeSet.class, BoundedTreeSetSerializer.class);
    kryo.addDefaultSerializer(PriorityQueue.class, BoundedPriorityQueueSerializer.class);
    kryo.addDefaultSerializer(TreeMap.class, BoundedTreeMapSerializer.class);
    kryo.addDefaultSerializer(ConcurrentSkipListMap.class, BoundedConcurrentSkipListMapSerializer.class);
    kryo.addDefaultSerializer(Collection.class, BoundedCollectionSerializer.class);
    kryo.addDefaultSerializer(Map.class, BoundedMapSerializer.class);

    kryo.addDefaultSerializer(Object[].class, BoundedObjectArraySerializer.class);
    kryo.addDefaultSerializer(String[].class, BoundedStringArraySerializer.class);
    kryo.addDefaultSerializer(boolean[].class, BoundedBooleanArraySerializer.class);
    // byte[], int[], long[], ... are read through Input.readBytes/readInts/..., which BoundedInput checks.
  }

  /** Checks an array length written as {@code length + 1} (0 meaning null), without consuming it. */
  private static void checkArrayLength(Input input) {
    int start = input.position();
    int lengthPlusOne = input.readVarInt(true);
    input.setPosition(start);
    BoundedInput.requireAvailable(input, lengthPlusOne - 1L);
  }

  public static final class BoundedCollectionSerializer extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      return super.create(kryo, input, type, BoundedInput.claimElements(input, size));
    }
  }

  public static final class BoundedMapSerializer extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      return super.create(kryo, input, type, BoundedInput.claimElements(input, size));
    }
  }

  public static final class BoundedArraysAsListSerializer extends ArraysAsListSerializer {
    @Override
    protected java.util.List create(Kryo kryo, Input input, Class type, int size) {
      return super.create(kryo, input, type, BoundedInput.claimElements(input, size));
    }
  }

  public static final class BoundedTreeSetSerializer extends TreeSetSerializer {
    @Override
    protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
      return super.create(kryo, input, type, BoundedInput.claimElements(input, size));
    }
  }

  public static final class BoundedPriorityQueueSerializer extends PriorityQueueSerializer {
    @Override
    protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
      return super.create(kryo, input, type, BoundedInput.claimElements(input, size));
    }
  }

  public static final class BoundedTreeMapSerializer extends TreeMapSerializer {
    @Override
    protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
      return super.create(kryo, input, type, BoundedInput.claimElements(input, size));
    }
  }

  public static final class BoundedConcurrentSkipListMapSerializer extends ConcurrentSkipListMapSerializer {
    @Override
    protected ConcurrentSkipListMap create(Kryo kryo, Input input, Class<? extends ConcurrentSkipListMap> type,
        int size) {
      return super.create(kryo, input, type, BoundedInput.claimElements(input, size));
    }
  }

  public static final class BoundedObjectArraySerializer extends ObjectArraySerializer {
    public BoundedObjectArraySerializer(Kryo kryo, Class type) {
      super(kryo, type);
    }

    @Override
    public Object[] read(Kryo kryo, Input input, Class type) {
      checkArrayLength(input);
      return super.read(kryo, input, type);
    }
  }

  public static final class BoundedStringArraySerializer extends StringArraySerializer {
    @Override
    public String[] read(Kryo kryo, Input input, Class type) {
      checkArrayLength(input);
      return super.read(kryo, input, type);
    }
  }

  public static final class BoundedBooleanArraySerializer extends BooleanArraySerializer {
    @Override
    public boolean[] read(Kryo kryo, Input input, Class type) {
      checkArrayLength(input);
      return super.read(kryo, input, type);
    }
  }
}
