package dev.tieredcache.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A running JVM reached through the attach API, with every failure turned into a message and an exit status. The
 * only class that names {@code com.sun.tools.attach}: load it only after {@link AttachApi#requireAvailable()}.
 */
final class TargetJvm implements AutoCloseable {

  private final TargetProcess process;
  private final VirtualMachine vm;

  private TargetJvm(TargetProcess process, VirtualMachine vm) {
    this.process = process;
    this.vm = vm;
  }

  /**
   * Attaches to the JVM of {@code process}.
   *
   * @throws CommandFailure {@link CommandFailure#TARGET_FAILED} with the reason and what may help
   */
  static TargetJvm attach(TargetProcess process) throws CommandFailure {
    try {
      return new TargetJvm(process, VirtualMachine.attach(String.valueOf(process.pid())));
    } catch (AttachNotSupportedException | IOException | RuntimeException e) {
      List<String> lines = new ArrayList<>();
      lines.add("cannot attach to JVM " + process.pid() + ": " + e.getMessage());
      lines.addAll(process.attachFailureReasons());
      throw new CommandFailure(CommandFailure.TARGET_FAILED, lines);
    }
  }

  /** A JVM the attach API lists: its pid and display name (main class or jar, then the program's arguments). */
  static final class Listed {
    final String pid;
    final String displayName;

    Listed(String pid, String displayName) {
      this.pid = pid;
      this.displayName = displayName;
    }
  }

  /** The JVMs of this user on this machine that the attach API sees, this one left out. */
  static List<Listed> listLocal() {
    String own = String.valueOf(ProcessHandle.current().pid());
    List<Listed> jvms = new ArrayList<>();
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      if (!d.id().equals(own)) {
        jvms.add(new Listed(d.id(), d.displayName()));
      }
    }
    return jvms;
  }

  long pid() {
    return process.pid();
  }

  /** The JVM's system properties now. */
  Properties systemProperties() throws CommandFailure {
    try {
      return vm.getSystemProperties();
    } catch (IOException e) {
      throw stoppedAnswering(e);
    }
  }

  /** The JVM's agent properties: {@code sun.jvm.args} (its options), {@code sun.java.command}. */
  Properties agentProperties() throws CommandFailure {
    try {
      return vm.getAgentProperties();
    } catch (IOException e) {
      throw stoppedAnswering(e);
    }
  }

  /**
   * Loads the agent jar into the JVM, which runs its {@code agentmain} with {@code argument} before this returns.
   *
   * @throws CommandFailure {@link CommandFailure#TARGET_FAILED} when the JVM refuses or the agent fails to start
   */
  void loadAgent(Path jar, String argument) throws CommandFailure {
    try {
      vm.loadAgent(jar.toString(), argument);
    } catch (AgentLoadException e) {
      if (DynamicAgentLoading.isRefusal(e.getMessage())) {
        throw DynamicAgentLoading.refused(pid(), jar, argument);
      }
      throw new CommandFailure(CommandFailure.TARGET_FAILED, "JVM " + pid() + " could not load the agent jar " + jar
          + ": " + e.getMessage());
    } catch (AgentInitializationException e) {
      throw new CommandFailure(CommandFailure.TARGET_FAILED, "the agent failed to start in JVM " + pid()
          + " (agentmain ended with an exception, code " + e.returnValue() + "); the JVM's stderr says why");
    } catch (IOException e) {
      throw new CommandFailure(CommandFailure.TARGET_FAILED, "JVM " + pid() + " closed the connection while loading"
          + " the agent (" + e.getMessage() + "); it may have exited: see its output");
    }
  }

  /**
   * Starts the JVM's local JMX agent, as JConsole does (it then stays on, reachable only from this machine by the
   * same user), and returns its address.
   */
  String startLocalManagementAgent() throws CommandFailure {
    try {
      return vm.startLocalManagementAgent();
    } catch (IOException | RuntimeException e) {
      throw new CommandFailure(CommandFailure.TARGET_FAILED, "JVM " + pid() + " could not start its local JMX agent: "
          + e.getMessage() + " (the application's runtime needs the jdk.management.agent module)");
    }
  }

  @Override
  public void close() {
    try {
      vm.detach();
    } catch (IOException e) {
      // the connection is gone either way
    }
  }

  private CommandFailure stoppedAnswering(IOException e) {
    return new CommandFailure(CommandFailure.TARGET_FAILED, "JVM " + pid() + " stopped answering (" + e.getMessage()
        + "); it may have exited");
  }
}
