package dev.tieredcache.it.backplaneapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The instance that holds products in memory while another one changes them: reads {@code p0} to {@code p<n-1>}
 * through a {@link FileProductRepository} in {@code products/}, waits, and reads them again. Arguments: its name
 * ({@code B}) and n. It writes its pid to {@code pid-<name>} (so the test can stop and continue it), then, each
 * after the test's signal:
 *
 * <ol>
 *   <li>{@code hold}: finds every product twice (it now holds them in memory), reports the names and the upstream
 *       calls ({@code upstreamCallsHolding}), raises {@code held-<name>};
 *   <li>{@code reread}: finds every product once more, reports {@code reread.<id>} and
 *       {@code upstreamCallsAfterReread}, raises {@code done-<name>}.
 * </ol>
 */
public final class HoldAndRereadApp {

  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(40);

  public static void main(String[] args) {
    String name = args[0];
    int products = Integer.parseInt(args[1]);
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    FileProductRepository repository = new FileProductRepository(Path.of("products"));
    writePid(name);
    signals.raise("started-" + name);

    signals.await("hold", PHASE_TIMEOUT);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < products; i++) {
        Report.result("held.p" + i, repository.findById("p" + i).getName());
      }
    }
    Report.result("upstreamCallsHolding", FileProductRepository.FIND_CALLS.get());
    signals.raise("held-" + name);

    signals.await("reread", PHASE_TIMEOUT);
    for (int i = 0; i < products; i++) {
      Report.result("reread.p" + i, repository.findById("p" + i).getName());
    }
    Report.result("upstreamCallsAfterReread", FileProductRepository.FIND_CALLS.get());
    signals.raise("done-" + name);
  }

  private static void writePid(String name) {
    Path file = Path.of("pid-" + name);
    try {
      Path temporary = Path.of("pid-" + name + ".tmp");
      Files.write(temporary, Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII));
      Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
    }
  }
}
