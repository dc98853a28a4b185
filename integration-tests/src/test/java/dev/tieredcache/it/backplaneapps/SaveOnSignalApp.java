package dev.tieredcache.it.backplaneapps;

import dev.tieredcache.it.apps.Product;
import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The instance that changes products while another one holds them: on the test's signal {@code change} it saves
 * the products named in argument 1 (comma-separated ids) with {@link #newName}, so the evict rule on {@code save}
 * runs for each, then finds those named in argument 2 (a subset, or {@code -} for none), which loads their new value
 * and writes it to Redis. It raises {@code changed} and stays until {@code finish}, so the Redis writes and
 * backplane messages it still holds (say while Redis is down) go out before it exits. Argument 0 is its name.
 */
public final class SaveOnSignalApp {

  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(40);

  /** The name a product gets when this app saves it. */
  public static String newName(String id) {
    return "steel kettle " + id;
  }

  public static void main(String[] args) {
    String name = args[0];
    String[] saved = args[1].split(",");
    String[] reread = args[2].equals("-") ? new String[0] : args[2].split(",");
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    FileProductRepository repository = new FileProductRepository(Path.of("products"));
    signals.raise("started-" + name);

    signals.await("change", PHASE_TIMEOUT);
    long started = System.nanoTime();
    for (String id : saved) {
      repository.save(new Product(id, newName(id)));
    }
    Report.result("saveMicros", Report.microsSince(started));
    for (String id : reread) {
      Report.result("reread." + id, repository.findById(id).getName());
    }
    Report.result("upstreamCalls", FileProductRepository.FIND_CALLS.get());
    signals.raise("changed");

    signals.await("finish", PHASE_TIMEOUT);
  }
}
