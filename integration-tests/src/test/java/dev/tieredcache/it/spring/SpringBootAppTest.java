package dev.tieredcache.it.spring;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.OnEachJdk;
import dev.tieredcache.it.TestJdk;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The Spring Boot app of {@link SpringAppScenario} with this agent alone, once per JDK. */
class SpringBootAppTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void serviceAndRepositoryAreCachedOnceAndSaveEvictsWhileTheAppsOwnCacheableKeepsWorking(TestJdk jdk) {
    ForkedRun run = SpringAppScenario.run(SpringAppScenario.prepare(ForkedJvm.on(jdk, dir)));

    run.assertHealthyAgent();
    SpringAppScenario.assertCachedEvictedAndAppUnchanged(run);
  }
}
