package dev.tieredcache.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up cost of the agent on the Spring Boot fat jar of {@code integration-tests/spring-app}: starts it
 * {@code runs} times each without the agent, with {@code +} rules (on the service's interface and the Spring Data
 * repository interface, as the integration test has them) and with exact-type rules, the three interleaved so that
 * the machine's noise spreads over all of them, and prints the process CPU time (every thread: JIT, GC, the agent)
 * that the app itself reports at its first HTTP request and at the end of its scenario, with the ratios to the plain
 * JVM. Not JMH: each sample is a whole JVM.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tieredcache.benchmarks.StartupCpu \
 *     agent/target/tiered-cache-agent.jar integration-tests/spring-app/target/spring-app.jar [runs] [java] [earlier.jar]
 * </pre>
 */
public final class StartupCpu {

  private static final String[] PLUS_RULES = {
      "rules:",
      "  - name: describe",
      "    method: dev.tieredcache.springapp.CatalogService+#describe(java.lang.String)",
      "  - name: product",
      "    method: dev.tieredcache.springapp.ProductRepository+#findById(..)",
      "    key: \"{0}\"",
      "  - name: product-saved",
      "    method: dev.tieredcache.springapp.ProductRepository+#save(..)",
      "    evict: {rule: product, key: \"{0.id}\"}"};

  private static final String[] EXACT_RULES = {
      "rules:",
      "  - name: describe",
      "    method: dev.tieredcache.springapp.CatalogServiceImpl#describe(java.lang.String)",
      "  - name: product",
      "    method: org.springframework.data.jpa.repository.support.SimpleJpaRepository#findById(java.lang.Object)",
      "    key: \"{0}\"",
      "  - name: product-saved",
      "    method: org.springframework.data.jpa.repository.support.SimpleJpaRepository#save(java.lang.Object)",
      "    evict: {rule: product, key: \"{0.id}\"}"};

  private StartupCpu() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: StartupCpu <agent.jar> <app.jar> [runs, default 5] [java launcher]"
          + " [an earlier agent.jar, measured in the same rounds]");
      System.exit(2);
    }
    Path agent = Path.of(args[0]).toAbsolutePath();
    Path app = Path.of(args[1]).toAbsolutePath();
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String java = args.length > 3 ? args[3] : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path dir = Files.createTempDirectory("startup-cpu");
    Path plus = Files.write(dir.resolve("plus.yaml"), Arrays.asList(PLUS_RULES), StandardCharsets.UTF_8);
    Path exact = Files.write(dir.resolve("exact.yaml"), Arrays.asList(EXACT_RULES), StandardCharsets.UTF_8);

    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("no agent", List.of());
    variants.put("'+' rules", List.of("-javaagent:" + agent + "=" + plus));
    variants.put("exact rules", List.of("-javaagent:" + agent + "=" + exact));
    if (args.length > 4) {
      // another build of the agent (an earlier commit, say) in the same interleaved rounds: ratios side by side
      Path earlier = Path.of(args[4]).toAbsolutePath();
      variants.put("'+' earlier", List.of("-javaagent:" + earlier + "=" + plus));
      variants.put("exact earlier", List.of("-javaagent:" + earlier + "=" + exact));
    }
    Map<String, List<long[]>> samples = new LinkedHashMap<>();
    variants.keySet().forEach(v -> samples.put(v, new ArrayList<>()));

    for (int i = 1; i <= runs; i++) {
      for (Map.Entry<String, List<String>> v : variants.entrySet()) {
        long[] cpu = start(java, v.getValue(), app, dir);
        samples.get(v.getKey()).add(cpu);
        System.out.printf(Locale.ROOT, "run %d %-12s first request %6d ms CPU, scenario end %6d ms CPU%n", i,
            v.getKey(), cpu[0], cpu[1]);
      }
    }
    double baseFirst = median(samples.get("no agent"), 0);
    double baseEnd = median(samples.get("no agent"), 1);
    System.out.printf(Locale.ROOT, "%n%s, %d runs each, medians (min-max)%n", java, runs);
    System.out.printf(Locale.ROOT, "%-12s | %-26s | %-26s%n", "", "CPU to first request", "CPU to scenario end");
    for (Map.Entry<String, List<long[]>> s : samples.entrySet()) {
      List<long[]> v = s.getValue();
      System.out.printf(Locale.ROOT, "%-12s | %6.0f ms (%5d-%5d) %5.2fx | %6.0f ms (%5d-%5d) %5.2fx%n", s.getKey(),
          median(v, 0), min(v, 0), max(v, 0), median(v, 0) / baseFirst,
          median(v, 1), min(v, 1), max(v, 1), median(v, 1) / baseEnd);
    }
  }

  /** One start: the CPU milliseconds the app reported at its first request and at its scenario's end. */
  private static long[] start(String java, List<String> agentOptions, Path app, Path dir)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(agentOptions);
    command.add("-jar");
    command.add(app.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("TIERED_CACHE_RULES");
    Process process = builder.start();
    long first = -1;
    long end = -1;
    List<String> output = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        output.add(line);
        if (line.startsWith("RESULT cpuMillisAtFirstRequest=")) {
          first = Long.parseLong(line.substring(line.indexOf('=') + 1));
        } else if (line.startsWith("RESULT cpuMillisAtEnd=")) {
          end = Long.parseLong(line.substring(line.indexOf('=') + 1));
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || first < 0 || end < 0) {
      throw new IllegalStateException("the app failed (exit " + exit + "): " + command + "\n"
          + String.join("\n", output));
    }
    return new long[] {first, end};
  }

  private static double median(List<long[]> samples, int index) {
    long[] values = samples.stream().mapToLong(s -> s[index]).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
  }

  private static long min(List<long[]> samples, int index) {
    return samples.stream().mapToLong(s -> s[index]).min().orElse(0);
  }

  private static long max(List<long[]> samples, int index) {
    return samples.stream().mapToLong(s -> s[index]).max().orElse(0);
  }
}
