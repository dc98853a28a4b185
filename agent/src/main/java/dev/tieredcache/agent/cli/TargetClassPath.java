package dev.tieredcache.agent.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.function.UnaryOperator;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * The class path of a running JVM as files this command can read: its {@code java.class.path}, relative entries
 * taken from its working directory, and the jars that each jar's manifest {@code Class-Path} names (as with
 * {@code java -jar app.jar}). Entries that do not exist are left out, as the JVM itself does.
 */
final class TargetClassPath {

  private TargetClassPath() {}

  /**
   * The entries of the JVM whose system properties are {@code system}, as paths this command can read.
   *
   * @param inItsFileSystem turns a path of the JVM's file system into one of this command's (see
   *     {@link TargetProcess#inItsFileSystem})
   */
  static List<File> of(Properties system, UnaryOperator<Path> inItsFileSystem) {
    String separator = system.getProperty("path.separator", File.pathSeparator);
    Path workingDirectory = Paths.get(system.getProperty("user.dir", "/"));
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : system.getProperty("java.class.path", "").split(Pattern.quote(separator))) {
      if (entry.isEmpty()) {
        continue;
      }
      try {
        add(inItsFileSystem.apply(workingDirectory.resolve(entry).normalize()), entries);
      } catch (InvalidPathException notAPath) {
        // the JVM cannot read it either
      }
    }
    List<File> files = new ArrayList<>();
    for (Path entry : entries) {
      if (Files.exists(entry)) {
        files.add(entry.toFile());
      }
    }
    return files;
  }

  private static void add(Path entry, Set<Path> entries) {
    if (!entries.add(entry) || !entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      return;
    }
    String classPath;
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
    } catch (IOException unreadable) {
      return;
    }
    if (classPath == null) {
      return;
    }
    Path dir = entry.getParent();
    for (String relative : classPath.trim().split("\\s+")) {
      if (relative.isEmpty() || relative.contains(":")) {
        continue; // URLs with a scheme (file:, http:) are rare; the check leaves those classes to load time
      }
      try {
        add(dir.resolve(relative).normalize(), entries);
      } catch (InvalidPathException notAPath) {
        // ignored by the JVM as well
      }
    }
  }
}
