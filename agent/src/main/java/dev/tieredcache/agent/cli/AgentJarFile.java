package dev.tieredcache.agent.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;

/** The agent jar this command runs from: what {@code attach} and {@code detach} load into the target JVM. */
final class AgentJarFile {

  private AgentJarFile() {}

  /**
   * The jar's absolute path, from the code source of this class.
   *
   * @throws CommandFailure {@link CommandFailure#USAGE} when the command does not run from a jar
   */
  static Path locate() throws CommandFailure {
    CodeSource source = AgentJarFile.class.getProtectionDomain().getCodeSource();
    Path path = null;
    try {
      path = source == null ? null : Paths.get(source.getLocation().toURI()).toAbsolutePath().normalize();
    } catch (URISyntaxException | IllegalArgumentException e) {
      // not a file: left null
    }
    if (path == null || !Files.isRegularFile(path)) {
      throw new CommandFailure(CommandFailure.USAGE, "this command loads the agent jar it runs from, but it runs from "
          + (path == null ? "an unknown place" : path + " (not a jar)") + ": run it as java -jar"
          + " /path/tiered-cache-agent.jar ...");
    }
    return path;
  }
}
