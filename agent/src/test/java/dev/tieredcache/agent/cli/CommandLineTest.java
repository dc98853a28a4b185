package dev.tieredcache.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line's words: help for every command, usage errors (exit 2), and pids that name no JVM this command
 * can reach (exit 1), all answered without sending anything to a process.
 */
class CommandLineTest {

  private static final String NL = System.lineSeparator();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CommandLine.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "help"})
  void helpListsEveryCommandWithTheExitStatuses(String word) {
    assertThat(run(word)).isZero();
    assertThat(out()).contains("usage: java -jar tiered-cache-agent.jar <command> [arguments]",
        "  validate <rules.yaml>", "  attach <pid> <rules.yaml>", "  detach <pid>", "  list ", "  stats <pid>",
        "exit status: 0 done, 1 invalid input (rules file, pid), 2 usage error, 3 the target JVM refused or failed",
        "jcmd <pid> JVMTI.agent_load /path/tiered-cache-agent.jar /path/rules.yaml");
    assertThat(err()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"validate", "attach", "detach", "list", "stats"})
  void everyCommandHasItsOwnHelp(String command) {
    assertThat(run(command, "--help")).isZero();
    String help = out();
    assertThat(help).startsWith("usage: java -jar tiered-cache-agent.jar " + command).contains("exit status");
    out.reset();
    assertThat(run("help", command)).isZero();
    assertThat(out()).isEqualTo(help);
    assertThat(err()).isEmpty();
  }

  @Test
  void attachHelpSaysWhatAttachingNeeds() {
    run("attach", "--help");
    assertThat(out()).contains("-XX:-EnableDynamicAgentLoading", "-XX:+EnableDynamicAgentLoading", "JEP 451",
        "jdk.attach", "container", "jcmd <pid> JVMTI.agent_load");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).startsWith("no command given" + NL + "usage: java -jar tiered-cache-agent.jar <command>");
    assertThat(out()).isEmpty();
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("atach", "1", "rules.yaml")).isEqualTo(2);
    assertThat(err()).startsWith("unknown command 'atach'" + NL + "usage:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"attach", "attach 1234", "attach 1234 a.yaml b.yaml", "attach --force 1234 a.yaml",
      "attach abc rules.yaml", "attach 0 rules.yaml", "attach -5 rules.yaml", "detach", "detach 1 2",
      "detach --all", "detach x", "list all", "list --verbose", "stats", "stats 1 2", "stats pid"})
  void wrongWordsAreUsageErrorsWithTheCommandsUsageLine(String line) {
    String[] words = line.split(" ");
    assertThat(run(words)).as(line).isEqualTo(2);
    assertThat(err()).as(line).startsWith(words[0] + ": ")
        .endsWith(NL + "usage: java -jar tiered-cache-agent.jar " + (words[0].equals("list") ? "list"
            : words[0].equals("attach") ? "attach <pid> <rules.yaml>" : words[0] + " <pid>") + NL);
    assertThat(out()).isEmpty();
  }

  @Test
  void aPidThatIsNotANumberSaysWhatAPidIs() {
    run("attach", "my-app", "rules.yaml");
    assertThat(err()).startsWith("attach: 'my-app' is not a process id (a positive number; `java -jar"
        + " tiered-cache-agent.jar list` shows the JVMs you can reach)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"attach", "detach", "stats"})
  void aPidWithoutAProcessIsInvalidInput(String command) throws Exception {
    long pid = exitedProcessPid();
    String[] args = command.equals("attach") ? new String[] {command, String.valueOf(pid), "rules.yaml"}
        : new String[] {command, String.valueOf(pid)};
    assertThat(run(args)).isEqualTo(1);
    assertThat(err()).isEqualTo("no process with pid " + pid + " runs on this machine; `java -jar"
        + " tiered-cache-agent.jar list` shows the JVMs you can reach. A JVM in a container has another pid inside"
        + " the container than outside: use the pid as seen where this command runs." + NL);
  }

  @Test
  void thisCommandsOwnJvmIsInvalidInput() {
    long own = ProcessHandle.current().pid();
    assertThat(run("stats", String.valueOf(own))).isEqualTo(1);
    assertThat(err()).startsWith("pid " + own + " is this command's own JVM");
  }

  @Test
  void aProcessThatIsNotAJvmIsInvalidInputAndIsNotSignalled() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      long started = System.nanoTime();
      assertThat(run("attach", String.valueOf(sleep.pid()), "rules.yaml")).isEqualTo(1);
      assertThat(err()).startsWith("process " + sleep.pid() + " (").contains("sleep) is not a Java virtual machine");
      // the attach API would have waited 10 s, after sending SIGQUIT
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
      assertThat(sleep.isAlive()).isTrue();
    } finally {
      sleep.destroyForcibly();
    }
  }

  /** The pid of a process that has exited; pids are not reused at once. */
  private static long exitedProcessPid() throws IOException, InterruptedException {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    return done.pid();
  }
}
