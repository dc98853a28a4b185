package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.HitAfterLoadApp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's start sets up no class-transformation machinery until a class that a rule names loads: the JVM's own
 * class-load log ({@code -Xlog:class+load}) shows which classes loaded before the application's first line and which
 * after. Start-up CPU is what a JVM pays at every start, so this is checked, not only measured (the figures come from
 * {@code StartupCpu} in {@code benchmarks/}).
 */
class LazyStartTest {

  private static final String BYTE_BUDDY = "dev.tieredcache.shaded.bytebuddy.";
  private static final String STARTED = "RESULT started=true";

  @TempDir
  Path dir;

  @OnEachJdk
  void theAdviceMachineryLoadsWhenTheFirstNamedClassLoads(TestJdk jdk) {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD,
            "  - name: never",
            "    method: com.example.NeverLoaded+#find(..)")
        .jvmOption("-Xlog:class+load=info:stdout");
    ForkedRun run = jvm.run(HitAfterLoadApp.class);

    run.assertHealthyAgent();
    List<String> lines = run.stdout();
    int started = lines.indexOf(STARTED);
    assertThat(started).as(run.context("the app's first line")).isNotNegative();
    List<String> before = loaded(lines.subList(0, started));
    List<String> after = loaded(lines.subList(started, lines.size()));

    // (the rules file check reads the named class's file with Byte Buddy's type pool: that part is loaded)
    assertThat(before).as(run.context("Byte Buddy's classes loaded by the agent's start"))
        .noneMatch(name -> name.startsWith(BYTE_BUDDY + "agent.builder.AgentBuilder$Default")
            || name.startsWith(BYTE_BUDDY + "dynamic.scaffold.") || name.startsWith(BYTE_BUDDY + "asm.Advice")
            || name.startsWith(BYTE_BUDDY + "dynamic.loading.ClassInjector"));
    assertThat(after).as(run.context("classes loaded once the named class loads"))
        .contains("dev.tieredcache.agent.instrument.CachingInstrumentation$Weaver", BYTE_BUDDY + "asm.Advice")
        // the advice is woven in one pass of ASM: no agent builder, no type builder, no class injection, ever
        .noneMatch(name -> name.startsWith(BYTE_BUDDY + "agent.builder.AgentBuilder$Default")
            || name.startsWith(BYTE_BUDDY + "dynamic.scaffold.inline.") || name.equals(BYTE_BUDDY + "ByteBuddy")
            || name.startsWith(BYTE_BUDDY + "dynamic.loading.ClassInjector"));
    assertThat(run.result("first")).as(run.context("first call")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("second call")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls")).isEqualTo(1);
  }

  @OnEachJdk
  void theBridgeIsDefinedInTheBootstrapLoaderWithoutAJarOnTheBootClassPath(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD)
        .jvmOption("-Xlog:class+load=info:stdout")
        .run(HitAfterLoadApp.class);

    run.assertHealthyAgent();
    assertThat(run.stdout()).as(run.context("where the bridge came from"))
        .filteredOn(line -> line.contains(" dev.tieredcache.bridge.CacheBridge "))
        .singleElement().asString().doesNotContain("tiered-cache-bridge-");
    // a jar appended to the boot class path turns class data sharing off for the application's classes
    assertThat(run.stdout()).as(run.context("the JVM's note on class sharing"))
        .noneMatch(line -> line.contains("bootstrap classpath has been appended"));
    assertThat(run.stderr()).as(run.context("the JVM's note on class sharing"))
        .noneMatch(line -> line.contains("bootstrap classpath has been appended"))
        .noneMatch(line -> line.contains("Unsafe"));
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls")).isEqualTo(1);
  }

  /** The names of the classes whose loading {@code lines} of the class-load log tell. */
  private static List<String> loaded(List<String> lines) {
    return lines.stream().filter(line -> line.contains("][class,load] "))
        .map(line -> line.substring(line.indexOf("][class,load] ") + 14).split(" ")[0])
        .toList();
  }
}
