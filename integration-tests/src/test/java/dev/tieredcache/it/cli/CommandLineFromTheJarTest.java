package dev.tieredcache.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.AgentCli;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.OnEachJdk;
import dev.tieredcache.it.TestJdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line itself: its entry point, help, usage errors, and a Java runtime without the attach API. */
class CommandLineFromTheJarTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void helpExitsZeroAndUsageErrorsExitTwo(TestJdk jdk) {
    AgentCli cli = AgentCli.on(jdk, dir);
    ForkedRun help = cli.run("--help");
    assertThat(help.exitCode()).as(help.context("exit status of --help")).isZero();
    assertThat(help.stdout()).as(help.context("--help")).contains(
        "usage: java -jar tiered-cache-agent.jar <command> [arguments]",
        "exit status: 0 done, 1 invalid input (rules file, pid), 2 usage error, 3 the target JVM refused or failed");
    ForkedRun attachHelp = cli.run("attach", "--help");
    assertThat(attachHelp.exitCode()).as(attachHelp.context("exit status of attach --help")).isZero();
    assertThat(attachHelp.stdout().get(0)).isEqualTo("usage: java -jar tiered-cache-agent.jar attach <pid>"
        + " <rules.yaml>");

    ForkedRun none = cli.run();
    assertThat(none.exitCode()).as(none.context("exit status without a command")).isEqualTo(2);
    assertThat(none.stderr().get(0)).isEqualTo("no command given");
    ForkedRun missingFile = cli.run("attach", "1234");
    assertThat(missingFile.exitCode()).as(missingFile.context("exit status of attach without a file")).isEqualTo(2);
    assertThat(missingFile.stderr()).containsExactly("attach: needs a pid and a rules file",
        "usage: java -jar tiered-cache-agent.jar attach <pid> <rules.yaml>");
  }

  @OnEachJdk
  void aJavaRuntimeWithoutTheAttachModuleIsToldToUseAJdkOrJcmd(TestJdk jdk) throws IOException {
    Path rules = Files.write(dir.resolve("rules.yaml"), List.of("rules:", "  - name: price",
        "    method: com.acme.Catalog#price(java.lang.String)"));
    AgentCli jre = AgentCli.on(jdk, dir).jvmOption("--limit-modules", "java.se");
    ForkedRun attach = jre.run("attach", "1234", rules.toString());
    assertThat(attach.exitCode()).as(attach.context("exit status")).isEqualTo(3);
    assertThat(attach.stderr()).as(attach.context("the message")).hasSize(2);
    assertThat(attach.stderr().get(0)).contains("has no jdk.attach module, so it cannot attach to another JVM");
    assertThat(attach.stderr().get(1)).contains("Run the command with the java of a JDK",
        "jcmd <pid> JVMTI.agent_load /path/tiered-cache-agent.jar /path/rules.yaml");
    assertThat(attach.stderr()).noneMatch(line -> line.contains("Exception") || line.contains("Error"));

    ForkedRun validate = jre.run("validate", rules.toString());
    assertThat(validate.exitCode()).as(validate.context("validate needs no attach API")).isZero();
  }
}
