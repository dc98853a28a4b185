package dev.tieredcache.it.deployapps;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A web-application class loader as servlet containers make them (Tomcat's {@code WebappClassLoader} with
 * {@code delegate="false"}): it defines the classes it finds in its own directory itself, even when its parent could
 * load them too, and asks its parent only for {@code java.*} and for what it does not have. So the agent's bridge, on
 * the bootstrap class path, is reached through the parent; the application's classes are this loader's own.
 */
public final class WebAppLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  public WebAppLoader(String name, Path classes, ClassLoader parent) {
    super(name, new URL[] {url(classes)}, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null && !name.startsWith("java.")) {
        try {
          c = findClass(name);
        } catch (ClassNotFoundException notHere) {
          // the parent's, then
        }
      }
      if (c == null) {
        c = getParent().loadClass(name);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private static URL url(Path classes) {
    try {
      return classes.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(classes.toString(), e);
    }
  }
}
