package dev.tieredcache.benchmarks;

import dev.tieredcache.runtime.codec.ValueCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis tier's value codec ({@link ValueCodec}) against plain JDK serialization, on the same
 * {@link ProductDto#sample() product}: a value written to Redis is encoded once per load, and decoded on every
 * Redis hit. No agent is loaded; the codec is called as a library. The encoded sizes are printed once per fork
 * (and by {@link CodecSizeReport}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class CodecBenchmark {

  private ValueCodec codec;
  private ProductDto product;

  @Setup(Level.Trial)
  public void prepare() {
    product = ProductDto.sample();
    codec = productCodec();
    requireSame(codec.decode(codec.encode(product)), "the codec");
    requireSame(JdkSerialization.decode(JdkSerialization.encode(product)), "JDK serialization");
    CodecSizeReport.print(codec, product, System.out);
  }

  /** The codec a rule on a method returning {@code ProductDto} gets, with no {@code allow-types:}. */
  static ValueCodec productCodec() {
    return ValueCodec.forType(ProductDto.class, List.of(), ProductDto.class.getClassLoader());
  }

  /** Encode, then decode what was encoded: a load written to Redis and read back by a Redis hit. */
  @Benchmark
  public Object codecRoundTrip() {
    return codec.decode(codec.encode(product));
  }

  /** The same with {@code ObjectOutputStream} and {@code ObjectInputStream}. */
  @Benchmark
  public Object jdkRoundTrip() {
    return JdkSerialization.decode(JdkSerialization.encode(product));
  }

  @Benchmark
  public byte[] codecEncode() {
    return codec.encode(product);
  }

  @Benchmark
  public byte[] jdkEncode() {
    return JdkSerialization.encode(product);
  }

  private void requireSame(Object decoded, String how) {
    if (!product.equals(decoded)) {
      throw new IllegalStateException(how + " did not give back an equal product: " + decoded);
    }
  }
}
