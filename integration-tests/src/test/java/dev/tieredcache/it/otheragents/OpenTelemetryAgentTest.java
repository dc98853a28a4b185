package dev.tieredcache.it.otheragents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.AgentOrder;
import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.apps.HitAfterLoadApp;
import dev.tieredcache.it.spring.SpringAppScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * This agent beside the OpenTelemetry Java agent (the jar from Maven Central, version in the parent pom), in both
 * orders of {@code -javaagent}, on each JDK. Both agents instrument one method of each app (OpenTelemetry through
 * {@code otel.instrumentation.methods.include}), so their advice is stacked in one method body. Each run checks both
 * agents: this one's rules cache, hit and evict as alone and it logs no transformation error; OpenTelemetry exports
 * its spans (logged by its logging exporter) and, in debug mode, reports no failure on an application class; no
 * class fails verification or linking; the app behaves as without either agent.
 */
class OpenTelemetryAgentTest {

  /** The system property, set by the pom, naming the OpenTelemetry agent jar the build fetched. */
  private static final String JAR_PROPERTY = "otel.agent.jar";
  /** A span as the logging exporter prints it: {@code ... LoggingSpanExporter - 'name' : traceId spanId KIND ...}. */
  private static final Pattern SPAN = Pattern.compile("LoggingSpanExporter - '([^']*)' : \\S+ \\S+ (\\w+) ");
  /** A line of the OpenTelemetry agent's own log at WARN or ERROR. */
  private static final Pattern OTEL_PROBLEM = Pattern.compile("^\\[otel\\.javaagent [^]]*] \\[[^]]*] (WARN|ERROR) ");
  /**
   * OpenTelemetry's debug note on a class of this agent's that has no class file for it to read: the bridge, which this
   * agent defines in the bootstrap loader, and the dispatchers its relocated Byte Buddy makes at run time.
   */
  private static final Pattern OWN_CLASS_LEFT_ALONE =
      Pattern.compile("Failed to handle dev\\.tieredcache\\.(bridge|shaded\\.bytebuddy)\\.\\S+ for transformation");
  /** Errors of the JVM that an agent's bad bytecode or class loading causes. */
  private static final List<String> LINKAGE_PROBLEMS = List.of("VerifyError", "LinkageError", "ClassFormatError",
      "NoClassDefFoundError", "IncompatibleClassChangeError", "ClassCircularityError");

  @TempDir
  Path dir;

  static Stream<Arguments> jdksAndOrders() {
    return TestJdk.all().flatMap(jdk -> Stream.of(AgentOrder.values()).map(order -> Arguments.of(jdk, order)));
  }

  @ParameterizedTest(name = "{1}, {0}")
  @MethodSource("jdksAndOrders")
  void springAppIsCachedAndTracedWithBothAgents(TestJdk jdk, AgentOrder order) {
    ForkedRun run = SpringAppScenario.run(withOpenTelemetry(SpringAppScenario.prepare(ForkedJvm.on(jdk, dir)), order,
        "dev.tieredcache.springapp.CatalogServiceImpl[describe]"));

    run.assertHealthyAgent();
    assertHealthyOpenTelemetry(run);
    SpringAppScenario.assertCachedEvictedAndAppUnchanged(run);

    List<String> spans = spans(run);
    assertThat(spans).as(run.context("OpenTelemetry's server span of the one HTTP request"))
        .filteredOn("GET /products/{id} SERVER"::equals).hasSize(1);
    // Spring Data's span starts behind the JDK proxy whose findById this agent caches: only loads reach it
    assertThat(spans).as(run.context("OpenTelemetry's spans of the finds that reached the repository"))
        .filteredOn("ProductRepository.findById INTERNAL"::equals).hasSize(3);
    // describe is called twice (HTTP request, then directly) and loaded once: whose advice is outermost decides
    assertThat(spans).as(run.context("OpenTelemetry's spans of describe, " + order))
        .filteredOn("CatalogServiceImpl.describe INTERNAL"::equals).hasSize(spansOfALoadAndAHit(order));
  }

  @ParameterizedTest(name = "{1}, {0}")
  @MethodSource("jdksAndOrders")
  void plainAppIsCachedAndTracedWithBothAgents(TestJdk jdk, AgentOrder order) {
    ForkedRun run = withOpenTelemetry(ForkedJvm.on(jdk, dir)
            .rules("log-level: debug",
                "rules:",
                "  - name: price",
                "    method: dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)")
            // C1 only, as for the Spring app: OpenTelemetry's start is most of this run's CPU time
            .jvmOption("-XX:TieredStopAtLevel=1")
            .timeout(Duration.ofMinutes(2)),
        order, "dev.tieredcache.it.apps.SlowCatalog[price]")
        .run(HitAfterLoadApp.class);

    run.assertHealthyAgent();
    assertHealthyOpenTelemetry(run);
    assertThat(run.result("first")).as(run.context("first call")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("second call")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls")).isEqualTo(1);
    assertThat(spans(run)).as(run.context("OpenTelemetry's spans of price, " + order))
        .filteredOn("SlowCatalog.price INTERNAL"::equals).hasSize(spansOfALoadAndAHit(order));
  }

  /**
   * OpenTelemetry's spans of a method both agents instrument, called twice with one key. The agent listed second
   * transforms the first one's output, so its advice is outermost: with OpenTelemetry first, a hit returns before
   * OpenTelemetry's advice runs and only the load is traced; with this agent first, every call is.
   */
  private static int spansOfALoadAndAHit(AgentOrder order) {
    return order == AgentOrder.OTHER_AGENT_FIRST ? 1 : 2;
  }

  /**
   * Adds the OpenTelemetry agent in {@code order}, its spans logged, metrics and logs not exported, its debug log on
   * (which reports every class it fails to transform), and a span around each call of {@code tracedMethods}.
   */
  private static ForkedJvm withOpenTelemetry(ForkedJvm jvm, AgentOrder order, String tracedMethods) {
    return jvm.otherAgent(openTelemetryJar().toString(), order)
        .systemProperty("otel.service.name", "tiered-cache-it")
        .systemProperty("otel.traces.exporter", "logging")
        .systemProperty("otel.metrics.exporter", "none")
        .systemProperty("otel.logs.exporter", "none")
        .systemProperty("otel.javaagent.debug", "true")
        .systemProperty("otel.instrumentation.methods.include", tracedMethods);
  }

  /**
   * OpenTelemetry started, logged no warning or error, and failed to transform no class but this agent's own that
   * have no class file: with this agent first, OpenTelemetry's start retransforms the classes loaded so far, among
   * them the bridge this agent defined in the bootstrap loader and the JDK proxies and dispatchers its (relocated)
   * Byte Buddy made; its debug log notes that it cannot read them and leaves them alone. No line of the JVM's output
   * names a linkage error.
   */
  private static void assertHealthyOpenTelemetry(ForkedRun run) {
    List<String> output = new ArrayList<>(run.stdout());
    output.addAll(run.stderr());
    assertThat(output).as(run.context("OpenTelemetry's start line"))
        .anyMatch(line -> line.contains("opentelemetry-javaagent - version: "));
    assertThat(output).as(run.context("OpenTelemetry's WARN and ERROR lines"))
        .noneMatch(line -> OTEL_PROBLEM.matcher(line).find());
    assertThat(output).as(run.context("classes OpenTelemetry failed to transform, other than this agent's own"))
        .filteredOn(line -> line.contains("Failed to"))
        .allMatch(line -> OWN_CLASS_LEFT_ALONE.matcher(line).find());
    for (String problem : LINKAGE_PROBLEMS) {
      assertThat(output).as(run.context("lines naming " + problem)).noneMatch(line -> line.contains(problem));
    }
  }

  /** Every span the logging exporter printed, as {@code name KIND}. */
  private static List<String> spans(ForkedRun run) {
    List<String> spans = new ArrayList<>();
    for (String line : run.stderr()) {
      Matcher span = SPAN.matcher(line);
      if (span.find()) {
        spans.add(span.group(1) + " " + span.group(2));
      }
    }
    return spans;
  }

  private static Path openTelemetryJar() {
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured == null || configured.isBlank()) {
      fail("-D" + JAR_PROPERTY + " is not set; run the tests through Maven (integration-tests/pom.xml sets it)");
    }
    Path jar = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      fail("the OpenTelemetry agent " + jar + " does not exist; the build copies it there before the tests: mvn"
          + " process-test-resources -pl integration-tests");
    }
    return jar;
  }
}
