package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.URISerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns the values of one rule into bytes and back, for the Redis tier. Thread-safe; make one per rule with
 * {@link #forType} and keep it.
 *
 * <p>What it handles: plain classes, with or without {@code Serializable} or a no-arg constructor (fields are
 * copied; no constructor runs when there is no no-arg one, and {@code readObject} never runs); records, on Java 16
 * and later; enums; {@code Optional}; {@code java.time} values; {@code UUID}; {@code BigDecimal};
 * the common collections and maps including {@code List.of}/{@code Map.of}/{@code Set.of},
 * {@code Stream.toList()}, {@code Arrays.asList} and the {@code Collections.unmodifiable*}, {@code empty*} and
 * {@code singleton*} ones; arrays; boxes; {@code null}.
 *
 * <p>What decoding refuses, always with a {@link CodecException} and never another exception or error: a payload
 * that names a class outside the rule's {@link ClassAllowlist} (checked on the name, before the class is loaded),
 * or {@code java.net.URL}, whose {@code equals} and {@code hashCode} resolve host names; a value that is not an
 * instance of the declared return type; a payload written with another shape of a class (fields or enum
 * constants changed: see {@link ShapeCheckedSerializer}); corrupt or truncated bytes, trailing bytes, lengths
 * that the payload cannot hold; object graphs nested deeper than {@value #MAX_DEPTH}; hashed collections whose
 * elements share hash codes beyond {@link HashSpread#MAX_SHARED_HASH}. Decoding does work in proportion to the
 * payload's size: every element costs at least one byte, nothing is allocated from a length before it is checked
 * against the bytes left, and no collection is rebuilt in quadratic time ({@link BoundedSerializers}).
 *
 * <p>Not supported: cyclic object graphs (references are off, which keeps payloads smaller and encoding free of
 * an identity map; a cycle fails to encode); an object referenced twice is written twice and decoded as two
 * equal copies. Lambdas, proxies and comparators of classes that are not allowed fail to encode.
 *
 * <p>Kryo instances are not thread-safe; they are kept in a bounded pool rather than in thread-locals: a
 * thread-local would build and warm up one Kryo per thread (every virtual thread included) and would keep the
 * rule's class loader reachable from the host's long-lived threads. An instance whose call threw is pooled again
 * after {@link Worker#recover() recovering}, and dropped after any {@code Error} (stack overflow, linkage error, ...).
 */
public final class ValueCodec {

  static {
    KryoUnsafeSwitch.applyOnce();
  }

  /**
   * Deepest nesting of objects in one value; deeper graphs fail instead of overflowing the stack. 64 levels of
   * nested collections and objects take well under a 256 KB thread stack to decode (measured in
   * {@code HostilePayloadTest}).
   */
  static final int MAX_DEPTH = 64;

  private static final int INITIAL_OUTPUT_BYTES = 1024;
  private static final int RETAINED_OUTPUT_BYTES = 64 * 1024;
  private static final int POOL_CAPACITY = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
  private static final byte[] ZEROS = new byte[64];
  private static final Class<?> RECORD = recordClass();

  private final Type declaredType;
  private final Class<?> resultType;
  private final boolean primitive;
  private final ClassAllowlist allowlist;
  private final ClassLoader loader;
  private final Pool<Worker> workers;

  private ValueCodec(Type declaredType, ClassAllowlist allowlist, ClassLoader loader) {
    this.declaredType = declaredType;
    this.resultType = boxed(erasure(declaredType));
    this.primitive = erasure(declaredType).isPrimitive();
    this.allowlist = allowlist;
    this.loader = loader;
    this.workers = new Pool<Worker>(true, false, POOL_CAPACITY) {
      @Override
      protected Worker create() {
        return new Worker(newKryo());
      }
    };
  }

  /**
   * The codec of a rule whose method returns {@code declaredReturnType}.
   *
   * @param declaredReturnType the method's generic return type ({@code Method.getGenericReturnType()}); it and the
   *     types reachable from it decide which classes a payload may name
   * @param allowTypes the rule's {@code allow-types:}: exact class names or {@code com.acme.dto.*} patterns
   * @param loader the loader that resolves class names in payloads, normally the declaring class's loader; {@code
   *     null} means the platform class loader
   * @throws IllegalArgumentException if an {@code allowTypes} entry is neither a class name nor a package pattern
   */
  public static ValueCodec forType(Type declaredReturnType, List<String> allowTypes, ClassLoader loader) {
    Objects.requireNonNull(declaredReturnType, "declaredReturnType");
    Objects.requireNonNull(allowTypes, "allowTypes");
    ClassLoader resolving = loader != null ? loader : ClassLoader.getPlatformClassLoader();
    return new ValueCodec(declaredReturnType, ClassAllowlist.of(declaredReturnType, allowTypes, resolving), resolving);
  }

  /**
   * The bytes of {@code value}, which may be {@code null}.
   *
   * @throws CodecException if the value is not of the declared type, holds a class the rule would refuse to
   *     decode, is cyclic or nested too deep, or Kryo cannot serialize one of its classes
   */
  public byte[] encode(Object value) {
    return encode(value, 0);
  }

  /**
   * The value {@link #encode} turned into {@code payload}: an instance of the declared return type, or {@code null}.
   *
   * @throws CodecException on any problem with the payload; never another exception
   */
  public Object decode(byte[] payload) {
    if (payload == null) {
      throw new CodecException("no payload to decode");
    }
    return decode(payload, 0, payload.length);
  }

  /**
   * A deep copy of {@code value} (copy-on-read): its own bytes decoded again. Those bytes were made here, not read
   * from Redis, so the limits meant for payloads of others that a value of this process cannot exceed by itself do
   * not apply: keys that hold hashed sets or maps are copied (see {@link BoundedSerializers#readHashedKey}).
   *
   * @throws CodecException as {@link #encode} and {@link #decode} do
   */
  public Object copy(Object value) {
    byte[] bytes = encode(value);
    return decode(bytes, 0, bytes.length, true);
  }

  /** Like {@link #encode(Object)}, with {@code headerLength} bytes before the value left for the caller to fill. */
  byte[] encode(Object value, int headerLength) {
    checkResultType(value, "encode");
    Worker w = workers.obtain();
    boolean reusable = false;
    try {
      Output out = w.output;
      out.reset();
      out.writeBytes(ZEROS, 0, headerLength);
      w.kryo.writeClassAndObject(out, value);
      byte[] bytes = out.toBytes();
      reusable = true;
      return bytes;
    } catch (RuntimeException e) {
      reusable = w.recover();
      throw failure("cannot encode a value of " + declaredType.getTypeName(), e);
    } catch (StackOverflowError | LinkageError e) {
      throw failure("cannot encode a value of " + declaredType.getTypeName(), e);
    } finally {
      if (w.output.getBuffer().length > RETAINED_OUTPUT_BYTES) {
        w.output.setBuffer(new byte[INITIAL_OUTPUT_BYTES], -1);
      }
      if (reusable) {
        workers.free(w);
      }
    }
  }

  /** Decodes the value held in {@code length} bytes of {@code bytes} from {@code offset}, and nothing else. */
  Object decode(byte[] bytes, int offset, int length) {
    return decode(bytes, offset, length, false);
  }

  private Object decode(byte[] bytes, int offset, int length, boolean ownBytes) {
    Worker w = workers.obtain();
    boolean reusable = false;
    try {
      BoundedInput in = w.input;
      in.start(bytes, offset, length, ownBytes);
      Object value = w.kryo.readClassAndObject(in);
      reusable = true;
      if (in.remaining() != 0) {
        throw new CodecException("corrupt payload: " + in.remaining() + " bytes left after the value");
      }
      checkResultType(value, "decode");
      return value;
    } catch (RuntimeException e) {
      reusable = reusable || w.recover();
      throw failure("cannot decode a value of " + declaredType.getTypeName(), e);
    } catch (Throwable e) {
      // Errors too (a stack overflow, an OutOfMemoryError, a linkage error of an allowed class): a payload costs
      // a miss, never the caller's call. The Kryo is dropped, as its state after an Error is unknown.
      throw failure("cannot decode a value of " + declaredType.getTypeName(), e);
    } finally {
      w.input.finish();
      if (reusable) {
        workers.free(w);
      }
    }
  }

  private void checkResultType(Object value, String action) {
    if (value == null ? primitive : !resultType.isInstance(value)) {
      throw new CodecException("cannot " + action + " " + (value == null ? "null" : "a " + value.getClass().getName())
          + " as a value of " + declaredType.getTypeName());
    }
  }

  /** The failure as a {@link CodecException}; an allowlist refusal keeps its own message, even deep in a graph. */
  private static CodecException failure(String context, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CodecException) {
        return t == error ? (CodecException) t : new CodecException(t.getMessage(), error);
      }
    }
    String detail = error.getMessage() != null ? error.getMessage() : error.getClass().getName();
    if (error instanceof StackOverflowError) {
      detail = "nested too deep";
    }
    return new CodecException(context + ": " + detail, error);
  }

  private Kryo newKryo() {
    // No reference resolver: references off (see the class comment).
    Kryo kryo = new Kryo(new AllowlistClassResolver(allowlist, loader), null);
    kryo.setRegistrationRequired(false);
    kryo.setClassLoader(loader);
    kryo.setMaxDepth(MAX_DEPTH);
    // A no-arg constructor when there is one (private ones too); otherwise Objenesis, which runs no constructor.
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    JdkWrapperSerializers.addDefaults(kryo);
    BoundedSerializers.addDefaults(kryo);
    AllowlistClassResolver.refuseNeverDecoded(kryo);
    kryo.addDefaultSerializer(UUID.class, new UUIDSerializer());
    // Field access into java.base is closed on Java 17+; a declared URI still needs a serializer of its own.
    kryo.addDefaultSerializer(URI.class, new URISerializer());
    kryo.addDefaultSerializer(Enum.class, new ShapeCheckedFactory() {
      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public Serializer<?> newSerializer(Kryo k, Class type) {
        return ShapeCheckedSerializer.ofEnum(new EnumSerializer(type), type);
      }
    });
    if (RECORD != null) {
      kryo.addDefaultSerializer(RECORD, new ShapeCheckedFactory() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Serializer<?> newSerializer(Kryo k, Class type) {
          return ShapeCheckedSerializer.ofRecord(new RecordSerializer<>(type), type);
        }
      });
    }
    kryo.setDefaultSerializer(new ShapeCheckedFactory() {
      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public Serializer<?> newSerializer(Kryo k, Class type) {
        return ShapeCheckedSerializer.ofFields(new FieldSerializer<>(k, type), type);
      }
    });
    return kryo;
  }

  @SuppressWarnings("rawtypes")
  private abstract static class ShapeCheckedFactory extends SerializerFactory.BaseSerializerFactory<Serializer<?>> {
    @Override
    public abstract Serializer<?> newSerializer(Kryo kryo, Class type);
  }

  private static Class<?> recordClass() {
    try {
      return Class.forName("java.lang.Record");
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static Class<?> erasure(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    if (type instanceof ParameterizedType) {
      return erasure(((ParameterizedType) type).getRawType());
    }
    if (type instanceof GenericArrayType) {
      return Array.newInstance(erasure(((GenericArrayType) type).getGenericComponentType()), 0).getClass();
    }
    if (type instanceof TypeVariable) {
      return erasure(((TypeVariable<?>) type).getBounds()[0]);
    }
    if (type instanceof WildcardType) {
      return erasure(((WildcardType) type).getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Class<?> boxed(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == void.class) {
      return Void.class;
    }
    return Array.get(Array.newInstance(c, 1), 0).getClass();
  }

  /** One pooled Kryo with its buffers. */
  private static final class Worker {
    final Kryo kryo;
    final Output output = new Output(INITIAL_OUTPUT_BYTES, -1);
    final BoundedInput input = new BoundedInput();

    Worker(Kryo kryo) {
      this.kryo = kryo;
    }

    /**
     * Makes the Kryo usable again after an exception. Kryo has already reset its per-graph state (depth, graph
     * context, class-name ids) on the way out; what it leaves behind is the stack of generic types that
     * serializers push and pop, which {@code setOptimizedGenerics} replaces with a new, empty one. Building a
     * new Kryo instead would cost its serializers' warm-up (about half a millisecond) on every corrupt payload.
     */
    boolean recover() {
      kryo.reset();
      kryo.setOptimizedGenerics(true);
      return true;
    }
  }
}
