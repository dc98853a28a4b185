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

/**
 * Puts the bridge classes on the bootstrap class path, so that instrumented classes of every class loader can
 * call them. Must run before anything loads a bridge class from the agent jar.
 */
final class BootstrapBridge {

  static final String[] CLASSES = {
    "dev/tieredcache/bridge/CacheBridge.class",
    "dev/tieredcache/bridge/Dispatcher.class",
    "dev/tieredcache/bridge/Ticket.class",
  };

  private BootstrapBridge() {}

  /** True when the bridge is already on the bootstrap class path (a second attach). */
  static boolean present() {
    try {
      Class.forName("dev.tieredcache.bridge.CacheBridge", false, null);
      return true;
    } catch (ClassNotFoundException absent) {
      return false;
    }
  }

  static void inject(Instrumentation inst) throws IOException {
    if (present()) {
      return;
    }
    File jar = File.createTempFile("tiered-cache-bridge-", ".jar");
    jar.deleteOnExit();
    ClassLoader agentLoader = BootstrapBridge.class.getClassLoader();
    try (OutputStream file = Files.newOutputStream(jar.toPath()); JarOutputStream out = new JarOutputStream(file)) {
      for (String name : CLASSES) {
        try (InputStream in = agentLoader.getResourceAsStream(name)) {
          if (in == null) {
            throw new IOException("the agent jar lacks " + name);
          }
          out.putNextEntry(new JarEntry(name));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }
}
