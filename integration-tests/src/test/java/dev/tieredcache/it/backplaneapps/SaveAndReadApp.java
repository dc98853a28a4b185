package dev.tieredcache.it.backplaneapps;

import dev.tieredcache.it.apps.Product;
import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One instance of an application that reads and saves products through a {@link FileProductRepository} in
 * {@code products/} of the working directory. Argument 0 names the instance ({@code jvm-1}), argument 1 is
 * {@code saver} for the one instance that saves. Phases, each after the test's signal:
 *
 * <ol>
 *   <li>{@code read-<name>}: finds p1 twice (it now holds p1 in memory), raises {@code has-read-<name>};
 *   <li>{@code save} (the saver only): saves p1 with a new name, raises {@code saved};
 *   <li>{@code read-again}: finds p1 once more, raises {@code done-<name>}.
 * </ol>
 */
public final class SaveAndReadApp {

  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(30);

  public static void main(String[] args) {
    String name = args[0];
    boolean saver = args.length > 1 && "saver".equals(args[1]);
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    FileProductRepository repository = new FileProductRepository(Path.of("products"));
    signals.raise("started-" + name);

    signals.await("read-" + name, PHASE_TIMEOUT);
    Report.result("firstRead", repository.findById("p1").getName());
    Report.result("secondRead", repository.findById("p1").getName());
    Report.result("upstreamCallsBeforeSave", FileProductRepository.FIND_CALLS.get());
    signals.raise("has-read-" + name);

    if (saver) {
      signals.await("save", PHASE_TIMEOUT);
      repository.save(new Product("p1", args[2]));
      signals.raise("saved");
    }

    signals.await("read-again", PHASE_TIMEOUT);
    Report.result("readAfterSave", repository.findById("p1").getName());
    Report.result("upstreamCallsAfterSave", FileProductRepository.FIND_CALLS.get());
    signals.raise("done-" + name);
  }
}
