package dev.tieredcache.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.LiveJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Spring Boot fat jar of {@code integration-tests/spring-app} ({@code java -javaagent:... -jar app.jar}, nested
 * jars, Spring Data JPA on H2, Tomcat, Logback) with rules on a {@code @Service} behind an interface and on the JDK
 * proxy of a Spring Data repository ({@code +}), and an evict rule on {@code save}; and what its run must report. The
 * app counts the calls that reach the service body and the selects that reach the database. Used by every test that
 * starts the app: one start per case, as a Spring Boot start costs seconds.
 */
public final class SpringAppScenario {

  /** The system property, set by the pom, naming the fat jar. */
  private static final String JAR_PROPERTY = "spring.app.jar";

  private SpringAppScenario() {}

  /** Writes the rules into {@code jvm} and sets its options; the caller adds its own, then {@link #run}s it. */
  public static ForkedJvm prepare(ForkedJvm jvm) {
    return prepare(jvm, List.of());
  }

  /** {@link #prepare(ForkedJvm)} with {@code settings}, top-level lines of the rules file, before its rules. */
  public static ForkedJvm prepare(ForkedJvm jvm, List<String> settings) {
    List<String> lines = new ArrayList<>(settings);
    lines.addAll(List.of("log-level: debug",
        "rules:",
        "  - name: describe",
        "    method: dev.tieredcache.springapp.CatalogService+#describe(java.lang.String)",
        "  - name: product",
        "    method: dev.tieredcache.springapp.ProductRepository+#findById(..)",
        "    key: \"{0}\"",
        "  - name: products",
        "    method: dev.tieredcache.springapp.ProductRepository+#findAllById(java.lang.Iterable)",
        "    batch: {rule: product, key: \"{id}\"}",
        "  - name: product-saved",
        "    method: dev.tieredcache.springapp.ProductRepository+#save(..)",
        "    evict: {rule: product, key: \"{0.id}\"}"));
    return jvm
        .rules(lines.toArray(new String[0]))
        // C1 only: the start costs a third less CPU on this shared machine; what is tested does not depend on C2
        .jvmOption("-XX:TieredStopAtLevel=1")
        .timeout(Duration.ofMinutes(3));
  }

  /** Runs the fat jar in {@code jvm} (made by {@link #prepare}) to its end. */
  public static ForkedRun run(ForkedJvm jvm) {
    return jvm.runJar(fatJar());
  }

  /**
   * Starts the fat jar in {@code jvm} (made by {@link #prepare}) and returns at once; after its scenario (the result
   * {@code serving}, its HTTP port) it serves HTTP until {@link LiveJvm#stop}.
   */
  public static LiveJvm start(ForkedJvm jvm) {
    return jvm.startJar(fatJar(), "--app.serve-until-exit=true");
  }

  /**
   * What every run must show: each rule on exactly one class, the service loaded once and then hit, the repository's
   * finds cached and evicted by {@code save}, and the application's own behaviour (HTTP answer, its
   * {@code @Cacheable}) as without the agent.
   */
  public static void assertCachedEvictedAndAppUnchanged(ForkedRun run) {
    assertThat(run.result("repositoryClass")).as(run.context("the repository is a JDK proxy")).contains("$Proxy");
    assertThat(run.result("serviceClass")).as(run.context("the service bean is a CGLIB proxy"))
        .contains("$$SpringCGLIB$$");

    // each rule is on exactly one class: the proxy's target (SimpleJpaRepository) and the CGLIB subclass never
    assertThat(sites(run, "cached by rule 'describe'")).as(run.context("classes cached by rule 'describe'"))
        .containsExactly("dev.tieredcache.springapp.CatalogServiceImpl#describe");
    assertThat(sites(run, "cached by rule 'product'")).as(run.context("classes cached by rule 'product'"))
        .singleElement().satisfies(site -> assertThat(site).contains("$Proxy").endsWith("#findById"));
    assertThat(sites(run, "evicts rule 'product'")).as(run.context("classes evicting rule 'product'"))
        .singleElement().satisfies(site -> assertThat(site).contains("$Proxy").endsWith("#save"));

    // the @Service: the HTTP request loads it, the direct call through the CGLIB proxy is a hit
    assertThat(run.result("httpStatus")).as(run.context("HTTP status")).isEqualTo("200");
    assertThat(run.result("httpBody")).as(run.context("HTTP body")).isEqualTo("kettle (kitchen)");
    assertThat(run.result("describeAgain")).as(run.context("second describe")).isEqualTo("kettle (kitchen)");
    assertThat(run.longResult("describeCalls")).as(run.context("calls reaching the service body")).isEqualTo(1);

    // the repository: the service's findById("p1") cached it; p2 selected once; save evicts, the next find selects
    assertThat(run.longResult("findCachedByNestedCallSelects")).as(run.context("selects of a cached find")).isZero();
    assertThat(run.result("findOther")).as(run.context("first find of p2")).isEqualTo("teapot");
    assertThat(run.longResult("findOtherSelects")).as(run.context("selects of a first find")).isEqualTo(1);
    assertThat(run.longResult("findOtherAgainSelects")).as(run.context("selects of a repeated find")).isZero();
    assertThat(run.result("findAfterSave")).as(run.context("find after save")).isEqualTo("stoneware teapot");
    assertThat(run.longResult("findAfterSaveSelects")).as(run.context("selects of the find after save")).isEqualTo(1);
    assertThat(run.longResult("findAfterSaveAgainSelects")).as(run.context("selects after reloading")).isZero();

    // findAllById through the JDK proxy, a batch over the findById entries: only p3 and the unknown id selected
    assertThat(sites(run, "batch of rule 'product'")).as(run.context("classes batching rule 'product'"))
        .singleElement().satisfies(site -> assertThat(site).contains("$Proxy").endsWith("#findAllById"));
    assertThat(run.result("findAllById")).as(run.context("findAllById, in the order asked"))
        .isEqualTo("[mug, kettle, stoneware teapot]");
    assertThat(run.longResult("findAllByIdSelects")).as(run.context("selects of findAllById: p3 and nope only"))
        .isEqualTo(1);
    assertThat(run.result("findAllByIdAgain")).isEqualTo("[stoneware teapot, mug]");
    assertThat(run.longResult("findAllByIdAgainSelects")).as(run.context("selects of a repeated findAllById"))
        .isZero();
    assertThat(run.result("findOfBatched")).isEqualTo("mug");
    assertThat(run.longResult("findOfBatchedSelects")).as(run.context("findById of an id findAllById loaded"))
        .isZero();
    assertThat(run.result("findUnknownOfBatched")).isEqualTo("false");
    assertThat(run.longResult("findUnknownOfBatchedSelects")).as(run.context("the unknown id is cached as absent"))
        .isZero();

    // the application's own @Cacheable (Caffeine cache manager) on the same bean
    assertThat(run.result("category")).as(run.context("category")).isEqualTo("kitchen");
    assertThat(run.longResult("categoryCalls")).as(run.context("calls reaching the @Cacheable body")).isEqualTo(1);
  }

  /** {@code Type#method} of the agent's debug lines that contain {@code what}. */
  private static List<String> sites(ForkedRun run, String what) {
    return run.agentLines("DEBUG").stream()
        .filter(line -> line.contains(": " + what + " "))
        .map(line -> line.substring(ForkedRun.AGENT_PREFIX.length() + "DEBUG ".length(), line.indexOf(": " + what)))
        .collect(Collectors.toList());
  }

  private static Path fatJar() {
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured == null || configured.isBlank()) {
      fail("-D" + JAR_PROPERTY + " is not set; run the tests through Maven (integration-tests/pom.xml sets it)");
    }
    Path jar = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      fail("the Spring Boot app " + jar + " does not exist; build it first: mvn install -DskipTests -pl"
          + " integration-tests/spring-app");
    }
    return jar;
  }
}
