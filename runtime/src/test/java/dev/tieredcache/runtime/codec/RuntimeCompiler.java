package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources while a test runs, into a class loader of their own. Lets tests use what the test sources
 * (held to Java 11) cannot declare, such as records, and two versions of one class side by side.
 */
final class RuntimeCompiler {

  private RuntimeCompiler() {}

  /** Compiles {@code sources} (class name to source text) into {@code dir}; returns a loader for the classes. */
  static ClassLoader compile(Path dir, Map<String, String> sources) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path out = Files.createDirectories(dir.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-proc:none", "-nowarn"));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue().getBytes(StandardCharsets.UTF_8));
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK, not a JRE, runs the tests").isNotNull();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, null, new PrintStream(errors, true, "UTF-8"), args.toArray(new String[0]));
    assertThat(rc).as("javac: %s", errors.toString("UTF-8")).isZero();
    return new URLClassLoader(new URL[] {out.toUri().toURL()}, RuntimeCompiler.class.getClassLoader());
  }
}
