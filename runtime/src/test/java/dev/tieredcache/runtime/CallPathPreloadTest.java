package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/** The preload that a new cache runs before the host's first calls: each of its paths runs through without error. */
class CallPathPreloadTest {

  @Test
  void everyPreloadedPathRunsAndLeavesNoThreadBehind() throws Exception {
    ExecutorService refreshes = Executors.newSingleThreadExecutor();
    try {
      CacheClock clock = System::currentTimeMillis;
      // called directly: CallPathPreload.run swallows failures, these do not
      CallPathPreload.rulePaths(clock, new RefreshPool(refreshes));
      CallPathPreload.codecPaths(clock);
    } finally {
      refreshes.shutdownNow();
    }
    assertThat(Thread.getAllStackTraces().keySet()).as("threads after the preload")
        .noneMatch(t -> t.getName().equals("tiered-cache-preload"));
  }
}
