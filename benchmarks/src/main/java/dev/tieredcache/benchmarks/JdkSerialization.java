package dev.tieredcache.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * Plain JDK serialization of one value per byte array, the baseline the codec is compared with: a new stream pair
 * per value, as a Redis value needs, and no {@code ObjectInputFilter}.
 */
final class JdkSerialization {

  /** What Spring's {@code SerializingConverter} starts with; enough for the sample product without regrowing. */
  private static final int INITIAL_BUFFER_BYTES = 1024;

  private JdkSerialization() {}

  static byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a " + value.getClass().getName(), e);
    }
    return bytes.toByteArray();
  }

  static Object decode(byte[] payload) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
      return in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot deserialize " + payload.length + " bytes", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot deserialize " + payload.length + " bytes: " + e.getMessage(), e);
    }
  }
}
