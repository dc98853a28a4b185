package dev.tieredcache.agent.cli;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The types of a class path, read from class files without loading any of them: the JDK's own classes (those of
 * the JVM running the command), then each entry, a jar or a directory of classes. Closing it closes the jars.
 */
final class ClassFileTypes implements AutoCloseable {

  private final List<ClassFileLocator> entries;
  private final TypePool pool;

  private ClassFileTypes(List<ClassFileLocator> entries) {
    this.entries = entries;
    List<ClassFileLocator> all = new ArrayList<>();
    // the JDK's locator is never closed: it reads through the shared platform class loader
    all.add(ClassFileLocator.ForClassLoader.ofPlatformLoader());
    all.addAll(entries);
    this.pool = TypePool.Default.WithLazyResolution.of(new ClassFileLocator.Compound(all));
  }

  /**
   * Opens every entry.
   *
   * @throws IOException naming a jar that cannot be read
   */
  static ClassFileTypes open(List<File> classPath) throws IOException {
    List<ClassFileLocator> locators = new ArrayList<>();
    try {
      for (File entry : classPath) {
        locators.add(entry.isDirectory() ? new ClassFileLocator.ForFolder(entry) : ClassFileLocator.ForJarFile.of(entry));
      }
    } catch (IOException e) {
      closeAll(locators);
      throw new IOException("cannot read the class path entry " + classPath.get(locators.size()) + ": " + e.getMessage(),
          e);
    }
    return new ClassFileTypes(locators);
  }

  TypePool pool() {
    return pool;
  }

  @Override
  public void close() {
    closeAll(entries);
  }

  private static void closeAll(List<ClassFileLocator> locators) {
    for (ClassFileLocator locator : locators) {
      try {
        locator.close();
      } catch (IOException e) {
        // a jar that fails to close was only read; nothing to recover
      }
    }
  }
}
