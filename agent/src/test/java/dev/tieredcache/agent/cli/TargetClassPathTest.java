package dev.tieredcache.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running JVM's class path, as the attach command checks rules against it. */
class TargetClassPathTest {

  @TempDir
  Path dir;

  private Properties jvm(String classPath) {
    Properties p = new Properties();
    p.setProperty("java.class.path", classPath);
    p.setProperty("path.separator", ":");
    p.setProperty("user.dir", dir.toString());
    return p;
  }

  private Path jar(String name, String manifestClassPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (manifestClassPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, manifestClassPath);
    }
    Path jar = dir.resolve(name);
    Files.createDirectories(jar.getParent());
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.flush();
    }
    return jar;
  }

  @Test
  void relativeEntriesAreTakenFromTheJvmsWorkingDirectoryAndMissingOnesLeftOut() throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path app = jar("app.jar", null);
    assertThat(TargetClassPath.of(jvm("classes:missing.jar:" + app), p -> p))
        .containsExactly(classes.toFile(), app.toFile());
  }

  @Test
  void jarsNamedByAManifestClassPathAreIncludedOnce() throws IOException {
    Path lib = jar("lib/dep.jar", "../app.jar");
    Path app = jar("app.jar", "lib/dep.jar lib/absent.jar");
    assertThat(TargetClassPath.of(jvm("app.jar"), p -> p)).containsExactly(app.toFile(), lib.toFile());
  }

  @Test
  void entriesAreReadThroughTheJvmsFileSystem() throws IOException {
    Path root = Files.createDirectories(dir.resolve("container-root"));
    Path inside = Files.createDirectories(root.resolve("srv/classes"));
    Properties p = jvm("/srv/classes");
    assertThat(TargetClassPath.of(p, path -> root.resolve(Path.of("/").relativize(path).toString())))
        .containsExactly(new File(inside.toString()));
  }
}
