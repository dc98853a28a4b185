package dev.tieredcache.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The JVM of a load run, started by {@link LoadDriver} with the agent and benchmarks/load-rules.yaml: closed-loop
 * threads call {@link LoadService#item} with Zipf-distributed keys through the phases, while this JVM breaks the
 * upstream and the Redis server (kill, restart, SIGSTOP, SIGCONT) on schedule. Prints a line per phase, then the
 * table and the checks.
 */
public final class LoadApp {

  /** One phase of the run: what is broken during it, and for how long. */
  static final class Phase {
    final String name;
    final long millis;
    final boolean fault;
    final LatencyHistogram latencies = new LatencyHistogram();
    long failedWithValue;
    long failedWithoutValue;
    long upstreamCalls;
    long actualMillis;

    Phase(String name, long millis, boolean fault) {
      this.name = name;
      this.millis = millis;
      this.fault = fault;
    }
  }

  private final LoadOptions options;
  private final LoadService service;
  private final ZipfKeys keys;
  /** Per key, whether a call ever returned a value (then a stale one exists within stale-if-error). */
  private final AtomicLongArray served;
  private final List<Phase> phases = new ArrayList<>();
  private volatile int current;
  private volatile boolean running = true;
  private final int redisPort;
  private long redisPid;
  private Process restartedRedis;

  private LoadApp(LoadOptions options, long redisPid, int redisPort) {
    this.options = options;
    this.service = new LoadService(options.keys, options.latencyMillis, options.slowMillis);
    this.keys = new ZipfKeys(options.keys, options.zipf);
    this.served = new AtomicLongArray(options.keys);
    this.redisPid = redisPid;
    this.redisPort = redisPort;
    phases.add(new Phase("warm-up", options.warmupMillis, false));
    phases.add(new Phase("steady", options.steadyMillis, false));
    phases.add(new Phase("upstream failing", options.failingMillis, true));
    phases.add(new Phase("after: upstream back", options.recoveryMillis, false));
    phases.add(new Phase("upstream slow (" + options.slowMillis + " ms)", options.slowPhaseMillis, true));
    phases.add(new Phase("after: upstream fast", options.recoveryMillis, false));
    phases.add(new Phase("Redis killed", options.killedMillis, true));
    phases.add(new Phase("after: Redis restarted", options.recoveryMillis, false));
    phases.add(new Phase("Redis paused (SIGSTOP)", options.pausedMillis, true));
    phases.add(new Phase("after: Redis resumed", options.recoveryMillis, false));
  }

  public static void main(String[] args) throws Exception {
    LoadOptions options = LoadOptions.fromSystemProperties();
    LoadApp app = new LoadApp(options, Long.parseLong(args[0]), Integer.parseInt(args[1]));
    String report = app.run();
    System.out.println(report);
    if (options.out != null) {
      Files.writeString(Path.of(options.out), report, StandardCharsets.UTF_8);
      System.out.println("written to " + options.out);
    }
    System.exit(0);
  }

  private String run() throws Exception {
    System.out.printf(Locale.ROOT, "[load] %d threads, %d keys (Zipf s=%.2f), upstream %d ms, Redis on port %d%n",
        options.threads, options.keys, options.zipf, options.latencyMillis, redisPort);
    List<Thread> callers = new ArrayList<>();
    List<LatencyHistogram[]> perThread = new ArrayList<>();
    List<long[][]> failuresPerThread = new ArrayList<>();
    for (int t = 0; t < options.threads; t++) {
      LatencyHistogram[] mine = new LatencyHistogram[phases.size()];
      long[][] failures = new long[phases.size()][2];
      for (int p = 0; p < mine.length; p++) {
        mine[p] = new LatencyHistogram();
      }
      perThread.add(mine);
      failuresPerThread.add(failures);
      Thread caller = new Thread(() -> callLoop(mine, failures), "load-caller-" + t);
      caller.setDaemon(true);
      callers.add(caller);
    }
    callers.forEach(Thread::start);
    int[] failingCalls = null;
    boolean[] hadValueWhenFailing = new boolean[options.keys];
    for (int p = 0; p < phases.size(); p++) {
      Phase phase = phases.get(p);
      long upstreamBefore = service.calls();
      long started = System.nanoTime();
      if (phase.name.equals("upstream failing")) {
        for (int k = 0; k < options.keys; k++) {
          hadValueWhenFailing[k] = served.get(k) != 0;
        }
      }
      current = p;
      enter(phase.name);
      Thread.sleep(phase.millis);
      leave(phase.name);
      phase.actualMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      phase.upstreamCalls = service.calls() - upstreamBefore;
      if (phase.name.equals("upstream failing")) {
        failingCalls = callsWhileFailing(hadValueWhenFailing);
      }
      System.out.printf(Locale.ROOT, "[load] phase %-26s done after %5.1f s, %d upstream calls%n", phase.name,
          phase.actualMillis / 1000.0, phase.upstreamCalls);
    }
    running = false;
    for (Thread caller : callers) {
      caller.join(TimeUnit.SECONDS.toMillis(5));
    }
    for (int p = 0; p < phases.size(); p++) {
      Phase phase = phases.get(p);
      for (int t = 0; t < perThread.size(); t++) {
        phase.latencies.add(perThread.get(t)[p]);
        phase.failedWithValue += failuresPerThread.get(t)[p][0];
        phase.failedWithoutValue += failuresPerThread.get(t)[p][1];
      }
    }
    stopRestartedRedis();
    return LoadReport.render(options, phases, failingCalls);
  }

  /**
   * The most upstream calls one key got while the upstream failed, and how many keys got any: for the keys that
   * had a value then (a stale one to serve), and for those that never had one.
   */
  private int[] callsWhileFailing(boolean[] hadValue) {
    int[] figures = new int[4];
    for (int k = 0; k < hadValue.length; k++) {
      int n = service.callsWhileFailing(k);
      int at = hadValue[k] ? 0 : 2;
      figures[at] = Math.max(figures[at], n);
      figures[at + 1] += n > 0 ? 1 : 0;
    }
    return figures;
  }

  private void callLoop(LatencyHistogram[] latencies, long[][] failures) {
    while (running) {
      int phase = current;
      int key = (int) keys.next();
      boolean hadValue = served.get(key) != 0;
      long start = System.nanoTime();
      try {
        service.item(key);
        latencies[phase].record(System.nanoTime() - start);
        if (!hadValue) {
          served.set(key, 1);
        }
      } catch (Throwable failed) {
        latencies[phase].record(System.nanoTime() - start);
        failures[phase][hadValue ? 0 : 1]++;
      }
    }
  }

  private void enter(String phase) throws Exception {
    switch (phase) {
      case "upstream failing":
        service.mode(LoadService.Mode.FAILING);
        break;
      case "Redis killed":
        signal("KILL", redisPid);
        break;
      case "Redis paused (SIGSTOP)":
        signal("STOP", redisPid);
        break;
      default:
        if (phase.startsWith("upstream slow")) {
          service.mode(LoadService.Mode.SLOW);
        }
    }
  }

  private void leave(String phase) throws Exception {
    switch (phase) {
      case "upstream failing":
        service.mode(LoadService.Mode.NORMAL);
        break;
      case "Redis killed":
        restartRedis();
        break;
      case "Redis paused (SIGSTOP)":
        signal("CONT", redisPid);
        break;
      default:
        if (phase.startsWith("upstream slow")) {
          service.mode(LoadService.Mode.NORMAL);
        }
    }
  }

  private static void signal(String name, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + pid + " failed");
    }
  }

  private void restartRedis() throws IOException, InterruptedException {
    restartedRedis = new ProcessBuilder(options.redisServer, "--port", Integer.toString(redisPort), "--save", "",
        "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    redisPid = restartedRedis.pid();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pings(redisPort)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not come back on port " + redisPort);
      }
      Thread.sleep(20);
    }
  }

  private void stopRestartedRedis() throws InterruptedException {
    if (restartedRedis != null) {
      restartedRedis.destroy();
      restartedRedis.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static boolean pings(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int n = in.read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException notYet) {
      return false;
    }
  }
}
