package dev.tieredcache.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.nio.file.Files;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts the bridge classes on the bootstrap class path, so that instrumented classes of every class loader can
 * call them. Must run before anything loads a bridge class from the agent jar.
 */
final class BootstrapBridge {

  static final String[] CLASSES = {
    "dev.tieredcache.bridge.CacheBridge",
    "dev.tieredcache.bridge.Dispatcher",
    "dev.tieredcache.bridge.Ticket",
  };

  private BootstrapBridge() {}

  /** True when the bridge is already on the bootstrap class path (a second attach). */
  static boolean present() {
    try {
      Class.forName(CLASSES[0], false, null);
      return true;
    } catch (ClassNotFoundException absent) {
      return false;
    }
  }

  /**
   * Defines the bridge in the bootstrap loader directly when the JVM allows it; otherwise appends a small jar to
   * the bootstrap class path, which makes the JVM turn class data sharing off for application classes (it says so
   * in a warning), so that is only the fallback.
   */
  static void inject(Instrumentation inst) throws IOException {
    if (present()) {
      List<String> missing = missingEntries(loadedBridge());
      if (!missing.isEmpty()) {
        // the advice would call what is not there: a NoSuchMethodError in the application's own methods
        throw new IOException("this JVM holds the bridge of an older tiered-cache agent (attached earlier), which"
            + " lacks " + String.join(", ", missing) + "; restart the JVM to run this version");
      }
      return;
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    ClassLoader agentLoader = BootstrapBridge.class.getClassLoader();
    for (String name : CLASSES) {
      try (InputStream in = agentLoader.getResourceAsStream(classFile(name))) {
        if (in == null) {
          throw new IOException("the agent jar lacks " + classFile(name));
        }
        classes.put(name, in.readAllBytes());
      }
    }
    if (defineInBootstrap(inst, classes) && present()) {
      return;
    }
    appendJar(inst, classes);
  }

  /**
   * Defines {@code classes} in the bootstrap loader through the JDK's internal {@code Unsafe}, whose package the
   * instrumentation opens to the agent (no {@code sun.misc.Unsafe}, so no warning on Java 24 and later). Plain
   * reflection: setting up a class-injection library here would load hundreds of its classes at every start.
   *
   * @return false when this JVM does not allow it (the caller then takes the jar)
   */
  private static boolean defineInBootstrap(Instrumentation inst, Map<String, byte[]> classes) {
    try {
      Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe", false, null);
      Module base = unsafeType.getModule();
      Module agent = BootstrapBridge.class.getModule();
      if (!base.isOpen("jdk.internal.misc", agent)) {
        inst.redefineModule(base, Set.of(), Map.of(), Map.of("jdk.internal.misc", Set.of(agent)), Set.of(), Map.of());
      }
      Method getUnsafe = unsafeType.getMethod("getUnsafe");
      Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
          ClassLoader.class, ProtectionDomain.class);
      Object unsafe = getUnsafe.invoke(null);
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        byte[] bytes = c.getValue();
        define.invoke(unsafe, c.getKey(), bytes, 0, bytes.length, null, null);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
      return false;
    }
  }

  /**
   * The entry points that this version's advice calls, as {@code name(parameter types)}, that {@code bridge} lacks:
   * none for the bridge of this version.
   */
  static List<String> missingEntries(Class<?> bridge) {
    Object[][] entries = {
      {"enter", new Class<?>[] {int.class, Class.class, Object.class, Object.class}},
      {"enter2", new Class<?>[] {int.class, Class.class, Object.class, Object.class, long.class, Object.class,
          long.class}},
      {"enter3", new Class<?>[] {int.class, Class.class, Object.class, Object.class, long.class, Object.class,
          long.class, Object.class, long.class}},
      {"enterLong", new Class<?>[] {int.class, Class.class, Object.class, long.class}},
      {"evict", new Class<?>[] {int.class, Class.class, Object[].class}},
    };
    List<String> missing = new ArrayList<>();
    for (Object[] entry : entries) {
      Class<?>[] parameters = (Class<?>[]) entry[1];
      try {
        bridge.getMethod((String) entry[0], parameters);
      } catch (NoSuchMethodException absent) {
        missing.add(entry[0] + Arrays.stream(parameters).map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")")));
      }
    }
    return missing;
  }

  private static Class<?> loadedBridge() throws IOException {
    try {
      return Class.forName(CLASSES[0], false, null);
    } catch (ClassNotFoundException gone) {
      throw new IOException("the bridge went away", gone);
    }
  }

  private static void appendJar(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
    File jar = File.createTempFile("tiered-cache-bridge-", ".jar");
    jar.deleteOnExit();
    try (OutputStream file = Files.newOutputStream(jar.toPath()); JarOutputStream out = new JarOutputStream(file)) {
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        out.putNextEntry(new JarEntry(classFile(c.getKey())));
        out.write(c.getValue());
        out.closeEntry();
      }
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }

  private static String classFile(String binaryName) {
    return binaryName.replace('.', '/') + ".class";
  }
}
