package dev.tieredcache.it.redisapps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The upstream of the distributed-lock scenario, shared by several JVMs: it returns {@code <region>@v1} until the
 * test raises {@code go}, then {@code <region>@v2}; it takes {@value #LATENCY_MILLIS} ms; and every call appends
 * {@code <instance> <version> <epoch millis>} to {@value #CALL_LOG} in the working directory, under a file lock, so
 * the test counts the calls of all JVMs together.
 */
public class Headline {

  public static final String CALL_LOG = "headline-calls.log";
  static final long LATENCY_MILLIS = 200;

  private final String instance;
  private final SignalFiles signals = SignalFiles.ofWorkingDirectory();

  public Headline(String instance) {
    this.instance = instance;
  }

  public String headline(String region) {
    String version = signals.isRaised("go") ? "v2" : "v1";
    logCall(instance + " " + version + " " + System.currentTimeMillis() + "\n");
    try {
      Thread.sleep(LATENCY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return region + "@" + version;
  }

  /** Appends under a lock: the file lock keeps other JVMs out, {@code synchronized} this JVM's other threads. */
  private static synchronized void logCall(String line) {
    Path log = Path.of(CALL_LOG).toAbsolutePath();
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      FileLock lock = channel.lock();
      try {
        channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot log the call in " + log, e);
    }
  }
}
