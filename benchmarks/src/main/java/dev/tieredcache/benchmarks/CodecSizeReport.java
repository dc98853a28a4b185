package dev.tieredcache.benchmarks;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints the encoded size of {@link ProductDto#sample()} with the codec and with JDK serialization, for the README:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.tieredcache.benchmarks.CodecSizeReport}.
 */
public final class CodecSizeReport {

  private CodecSizeReport() {}

  public static void main(String[] args) {
    print(CodecBenchmark.productCodec(), ProductDto.sample(), System.out);
  }

  /** One line per encoding of {@code product}, each with its exact byte count. */
  static void print(ValueCodec codec, ProductDto product, PrintStream out) {
    int codecBytes = codec.encode(product).length;
    // Any times will do: the header has a fixed length.
    int entryBytes = new EntryCodec(codec).encode(new CacheEntry(product, 0L, 1L, 2L)).length;
    int jdkBytes = JdkSerialization.encode(product).length;
    out.println("ProductDto.sample(), encoded size:");
    out.println("  codec (ValueCodec):                  " + codecBytes + " bytes");
    out.println("  codec as a Redis value (EntryCodec): " + entryBytes + " bytes (" + (entryBytes - codecBytes)
        + "-byte header + value)");
    out.println("  JDK serialization:                   " + jdkBytes + " bytes ("
        + String.format(Locale.ROOT, "%.2f", (double) jdkBytes / codecBytes) + "x the codec's value)");
  }
}
