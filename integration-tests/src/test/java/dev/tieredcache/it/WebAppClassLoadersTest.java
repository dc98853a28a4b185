package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.deployapps.ContainerApp;
import dev.tieredcache.it.deployapps.shop.Catalog;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web applications deployed, redeployed and undeployed with child-first class loaders, as a servlet container does
 * ({@link ContainerApp} in a forked JVM with the agent): their cached methods are cached, a redeployed application gets
 * values of its own classes (decoded for it from Redis, or loaded anew) and still hits, and a dropped loader is
 * collected although values of its classes were cached, in memory and in Redis.
 */
class WebAppClassLoadersTest {

  private static final String CATALOG = "dev.tieredcache.it.deployapps.shop.Catalog";

  @TempDir
  Path dir;

  @OnEachJdk
  void methodsOfClassesAChildFirstLoaderDefinesAreCached(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir).rules(rules(null, false)).run(ContainerApp.class, "deploy", webApp());

    assertHealthyAndTyped(run);
    assertThat(run.result("price.second")).as(run.context("second call of price")).isEqualTo("sku-1=500");
    assertThat(run.result("price.sameInstance")).as(run.context("second call served from memory")).isEqualTo("true");
    assertThat(run.result("price.loader")).as(run.context("class loader of the value")).isEqualTo("webapp-1");
    assertThat(run.result("prices.sameInstance")).as(run.context("second call of prices served from memory"))
        .isEqualTo("true");
    assertThat(run.result("prices.elementLoaders")).as(run.context("class loader of the list's elements"))
        .isEqualTo("webapp-1,webapp-1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("method bodies run for two calls of each method"))
        .isEqualTo(2);
  }

  @OnEachJdk
  void aDroppedLoaderIsCollectedWhileValuesOfItsClassesAreCachedInMemory(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir).jvmOption("-Xmx256m").rules(rules(null, true))
        .run(ContainerApp.class, "drop", webApp());

    assertDroppedLoaderCollected(run);
  }

  @OnEachJdk
  void aDroppedLoaderIsCollectedWhileValuesOfItsClassesAreCachedInMemoryAndRedis(TestJdk jdk) {
    try (RedisServer redis = RedisServer.start()) {
      ForkedRun run = ForkedJvm.on(jdk, dir).jvmOption("-Xmx256m").rules(rules(redis, true))
          .run(ContainerApp.class, "drop", webApp(), redis.host(), String.valueOf(redis.port()));

      assertDroppedLoaderCollected(run);
    }
  }

  @OnEachJdk
  void aRedeployedAppGetsValuesOfItsOwnClassesDecodedFromRedis(TestJdk jdk) {
    try (RedisServer redis = RedisServer.start()) {
      ForkedRun run = ForkedJvm.on(jdk, dir).jvmOption("-Xmx256m").rules(rules(redis, false))
          .run(ContainerApp.class, "redeploy", webApp(), redis.host(), String.valueOf(redis.port()));

      assertRedeployed(run, 0);
    }
  }

  @OnEachJdk
  void aRedeployedAppLoadsValuesOfItsOwnClassesIntoMemory(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir).jvmOption("-Xmx256m").rules(rules(null, false))
        .run(ContainerApp.class, "redeploy", webApp());

    assertRedeployed(run, 2);
  }

  private static void assertDroppedLoaderCollected(ForkedRun run) {
    assertHealthyAndTyped(run);
    assertThat(run.longResult("upstreamCallsBeforeRefresh")).as(run.context("second calls served from the cache"))
        .isEqualTo(2);
    assertThat(run.longResult("upstreamCalls")).as(run.context("method bodies run, with one background refresh"))
        .isEqualTo(3);
    assertThat(run.longResult("entriesBeforeGc")).as(run.context("memory entries of the undeployed app before GC"))
        .isEqualTo(2);
    assertThat(run.result("collected")).as(run.context("the undeployed app's loader was garbage-collected"))
        .isEqualTo("true");
    assertThat(run.longResult("entriesAfterGc")).as(run.context("memory entries left after its loader went"))
        .isZero();
  }

  /** @param secondUpstreamCalls the second deployment's method bodies run for its first calls (0 when from Redis) */
  private static void assertRedeployed(ForkedRun run, int secondUpstreamCalls) {
    assertHealthyAndTyped(run);
    for (String phase : List.of("second.first", "second.again", "second.afterDrop")) {
      assertThat(run.result(phase + ".priceLoader")).as(run.context(phase + ": loader of price's value"))
          .isEqualTo("webapp-2");
      assertThat(run.result(phase + ".pricesLoaders")).as(run.context(phase + ": loaders of prices' elements"))
          .isEqualTo("webapp-2,webapp-2");
      assertThat(run.longResult(phase + ".upstreamCalls")).as(run.context(phase + ": method bodies the second"
          + " deployment ran (its calls after its first ones are hits)")).isEqualTo(secondUpstreamCalls);
    }
    assertThat(run.result("second.first.price")).as(run.context("the second deployment's value"))
        .isEqualTo("sku-1=500");
    assertThat(run.result("first.again.priceLoader")).as(run.context("the first deployment, beside the second"))
        .isEqualTo("webapp-1");
    assertThat(run.result("first.again.pricesLoaders")).as(run.context("the first deployment's list elements"))
        .isEqualTo("webapp-1,webapp-1");
    assertThat(run.longResult("first.again.upstreamCalls")).as(run.context("the first deployment still hits"))
        .isEqualTo(2);
    assertThat(run.result("first.collected")).as(run.context("the first deployment's loader, dropped, collected"))
        .isEqualTo("true");
    assertThat(run.result("second.collected")).as(run.context("the second deployment's loader, dropped, collected"))
        .isEqualTo("true");
  }

  /** A healthy agent that never found a cached value of the wrong class for a caller. */
  private static void assertHealthyAndTyped(ForkedRun run) {
    run.assertHealthyAgent();
    assertThat(run.agentLines("WARN")).as(run.context("warnings of values of another class (or loader)"))
        .noneMatch(line -> line.contains("the call runs uncached"));
  }

  /** The rules file: both catalog methods cached, in memory or memory and Redis, with a short ttl when asked. */
  private static String[] rules(RedisServer redis, boolean shortTtl) {
    List<String> lines = new ArrayList<>(List.of("namespace: shop"));
    if (redis != null) {
      lines.add("redis: {url: " + redis.url() + ", timeout: 500ms}");
    }
    if (shortTtl) {
      lines.addAll(List.of("defaults:", "  ttl: 1s", "  stale-while-revalidate: 1h"));
    }
    lines.addAll(List.of("rules:",
        "  - name: price",
        "    method: " + CATALOG + "#price(java.lang.String)",
        "    key: \"{0}\"",
        "  - name: prices",
        "    method: " + CATALOG + "#prices(java.lang.String)",
        "    key: \"{0}\""));
    return lines.toArray(new String[0]);
  }

  /**
   * The web application's directory: the class files of {@code deployapps.shop} copied out of the test classes, as
   * a container unpacks a war's {@code WEB-INF/classes}.
   */
  private String webApp() {
    try {
      Path testClasses = Path.of(Catalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path pkg = Path.of("dev", "tieredcache", "it", "deployapps", "shop");
      Path target = dir.resolve("webapp").resolve("classes");
      Files.createDirectories(target.resolve(pkg));
      try (Stream<Path> files = Files.list(testClasses.resolve(pkg))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, target.resolve(pkg).resolve(f.getFileName().toString()));
        }
      }
      return target.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
