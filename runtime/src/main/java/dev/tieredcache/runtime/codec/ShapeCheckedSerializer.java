package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.util.ObjectMap;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Wraps the serializer of a class whose wire form follows its declared shape (fields, record components, enum
 * constants) and writes a 64-bit fingerprint of that shape the first time the class appears in a payload.
 * Reading checks the fingerprint against the class as loaded now.
 *
 * <p>Why: Kryo writes fields by position, not by name, and enums by ordinal. After a deployment that adds a
 * field or reorders enum constants, a value another instance wrote with the old class would otherwise decode into
 * wrong field values without any error. With the check it is refused, which makes it a miss that the next load
 * overwrites. The cost is 8 bytes and one map lookup per class per payload.
 */
final class ShapeCheckedSerializer<T> extends Serializer<T> {

  private final Serializer<T> delegate;
  private final long shape;
  private final String typeName;

  private ShapeCheckedSerializer(Serializer<T> delegate, Class<?> type, String shapeDescription) {
    super(delegate.getAcceptsNull(), delegate.isImmutable());
    this.delegate = delegate;
    this.shape = fingerprint(shapeDescription);
    this.typeName = type.getName();
  }

  /** Kryo's field serializer, checked against the fields it actually writes, in its order. */
  static <T> ShapeCheckedSerializer<T> ofFields(FieldSerializer<T> fields, Class<?> type) {
    StringBuilder shape = new StringBuilder("fields ").append(type.getName());
    for (FieldSerializer.CachedField f : fields.getFields()) {
      shape.append(';').append(f.getName()).append(':').append(f.getField().getGenericType().getTypeName());
    }
    return new ShapeCheckedSerializer<>(fields, type, shape.toString());
  }

  /** A record's serializer, which writes its components by name order; checked against names and types. */
  static <T> ShapeCheckedSerializer<T> ofRecord(Serializer<T> records, Class<?> type) {
    List<Field> components = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        components.add(f);
      }
    }
    components.sort(Comparator.comparing(Field::getName));
    StringBuilder shape = new StringBuilder("record ").append(type.getName());
    for (Field f : components) {
      shape.append(';').append(f.getName()).append(':').append(f.getGenericType().getTypeName());
    }
    return new ShapeCheckedSerializer<>(records, type, shape.toString());
  }

  /** An enum's serializer, which writes ordinals; checked against the constants' names in ordinal order. */
  static <T> ShapeCheckedSerializer<T> ofEnum(Serializer<T> enums, Class<?> enumType) {
    StringBuilder shape = new StringBuilder("enum ").append(enumType.getName());
    for (Object constant : enumType.getEnumConstants()) {
      shape.append(';').append(((Enum<?>) constant).name());
    }
    return new ShapeCheckedSerializer<>(enums, enumType, shape.toString());
  }

  @Override
  @SuppressWarnings("unchecked")
  public void write(Kryo kryo, Output output, T object) {
    ObjectMap<Object, Object> graph = kryo.getGraphContext();
    if (!graph.containsKey(this)) {
      graph.put(this, null);
      output.writeLong(shape);
    }
    delegate.write(kryo, output, object);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    ObjectMap<Object, Object> graph = kryo.getGraphContext();
    if (!graph.containsKey(this)) {
      graph.put(this, null);
      if (input.readLong() != shape) {
        throw new KryoException("the payload was written with another shape of " + typeName
            + " (fields or enum constants changed since)");
      }
    }
    return delegate.read(kryo, input, type);
  }

  @Override
  public T copy(Kryo kryo, T original) {
    return delegate.copy(kryo, original);
  }

  /** 64-bit FNV-1a of the description's UTF-8 bytes. */
  private static long fingerprint(String description) {
    long h = 0xcbf29ce484222325L;
    for (byte b : description.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
