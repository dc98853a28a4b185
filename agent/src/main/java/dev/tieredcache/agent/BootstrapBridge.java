package dev.tieredcache.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.dynamic.loading.ClassInjector;

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
    // from Java 24 on, the JVM warns on stderr about any use of sun.misc.Unsafe: keep (our relocated) Byte Buddy
    // away from it there and take the jar, whose only cost is the JVM's note that class sharing is limited
    if (Runtime.version().feature() >= 24) {
      String safe = ClassInjector.class.getPackageName().replace(".dynamic.loading", "") + ".safe";
      if (System.getProperty(safe) == null) {
        System.setProperty(safe, "true");
      }
    } else {
      try {
        ClassInjector.UsingUnsafe.Factory factory = ClassInjector.UsingUnsafe.Factory.resolve(inst);
        if (factory.isAvailable()) {
          factory.make(null, null).injectRaw(classes);
          if (present()) {
            return;
          }
        }
      } catch (RuntimeException | LinkageError unavailable) {
        // fall through to the bootstrap class path
      }
    }
    appendJar(inst, classes);
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
