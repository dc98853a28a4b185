package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar is self-contained and clash-free: every class sits under the project's own package (third-party
 * code relocated under {@code dev/tieredcache/shaded/}), service files name relocated types only, and the manifest
 * makes it a start-up agent, an attachable agent and a command-line tool.
 */
class AgentJarContentTest {

  private static final String OWN_PACKAGE = "dev/tieredcache/";
  private static final String OWN_PACKAGE_NAME = "dev.tieredcache.";

  private List<String> entries;
  private Manifest manifest;

  @BeforeEach
  void readJar() throws IOException {
    try (JarFile jar = new JarFile(AgentJar.path().toFile())) {
      entries = new ArrayList<>();
      for (JarEntry e : Collections.list(jar.entries())) {
        entries.add(e.getName());
      }
      manifest = jar.getManifest();
    }
  }

  @Test
  void everyClassSitsUnderTheProjectPackage() {
    assertThat(entries).as("classes of the agent jar").anyMatch(name -> name.endsWith(".class"));
    List<String> outside = new ArrayList<>();
    for (String name : entries) {
      if (name.endsWith(".class") && !name.startsWith(OWN_PACKAGE)) {
        outside.add(name);
      }
    }
    assertThat(outside)
        .as("classes outside %s: third-party code must be relocated under %sshaded/ (%d of them)", OWN_PACKAGE,
            OWN_PACKAGE, outside.size())
        .isEmpty();
  }

  /** Guards against testing a thin jar (the build's unshaded one) that would fail in every host. */
  @Test
  void thirdPartyLibrariesAreBundledRelocated() {
    for (String library : List.of("bytebuddy", "caffeine", "snakeyaml", "slf4j")) {
      String relocated = OWN_PACKAGE + "shaded/" + library + "/";
      assertThat(entries).as("classes of %s relocated under %s", library, relocated)
          .anyMatch(name -> name.startsWith(relocated) && name.endsWith(".class"));
    }
  }

  /** metrics.micrometer uses the host's own Micrometer, by reflection: a bundled copy would have its own registry. */
  @Test
  void micrometerIsNeverBundled() {
    assertThat(entries).as("Micrometer classes in the agent jar")
        .noneMatch(name -> name.contains("io/micrometer/") || name.startsWith(OWN_PACKAGE + "shaded/micrometer"));
    assertThat(entries).as("the agent's own Micrometer export, which reaches the host's Micrometer by reflection")
        .contains(OWN_PACKAGE + "agent/micrometer/MicrometerExport.class");
  }

  @Test
  void serviceFilesNameOnlyRelocatedTypes() throws IOException {
    List<String> problems = new ArrayList<>();
    try (JarFile jar = new JarFile(AgentJar.path().toFile())) {
      for (String name : entries) {
        if (!name.startsWith("META-INF/services/") || name.endsWith("/")) {
          continue;
        }
        String service = name.substring("META-INF/services/".length());
        if (!service.startsWith(OWN_PACKAGE_NAME)) {
          problems.add(name + " (a host's own " + service + " would find it)");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jar.getInputStream(jar.getEntry(name)),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            String provider = line.replaceAll("#.*", "").trim();
            if (!provider.isEmpty() && !provider.startsWith(OWN_PACKAGE_NAME)) {
              problems.add(name + " lists " + provider);
            }
          }
        }
      }
    }
    assertThat(problems).as("service registrations that escape the relocation").isEmpty();
  }

  @Test
  void manifestMakesItAStartupAgentAnAttachableAgentAndATool() {
    assertThat(manifest).as("the jar's manifest").isNotNull();
    Attributes main = manifest.getMainAttributes();
    for (String attribute : List.of("Premain-Class", "Agent-Class", "Main-Class")) {
      String className = main.getValue(attribute);
      assertThat(className).as("manifest attribute %s", attribute).isNotBlank();
      assertThat(entries).as("the class that %s names (%s) is in the jar", attribute, className)
          .contains(className.replace('.', '/') + ".class");
    }
    assertThat(main.getValue("Can-Retransform-Classes")).as("manifest attribute Can-Retransform-Classes")
        .isEqualTo("true");
  }
}
