package dev.tieredcache.agent.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns a class path as users write it ({@code app.jar:classes:lib/*}) into the files it names. */
final class ClassPathEntries {

  private ClassPathEntries() {}

  /**
   * Splits on the platform's path separator; {@code dir/*} stands for every {@code .jar} in {@code dir}, in name
   * order, as with {@code java -cp}.
   *
   * @throws IllegalArgumentException naming an entry that does not exist
   */
  static List<File> expand(String classpath) {
    List<File> files = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*") || entry.endsWith("/*") || entry.endsWith(File.separator + "*")) {
        File dir = new File(entry.length() == 1 ? "." : entry.substring(0, entry.length() - 2));
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar") || name.endsWith(".JAR"));
        if (jars == null) {
          throw new IllegalArgumentException("class path entry " + entry + ": " + dir + " is not a directory");
        }
        Arrays.sort(jars);
        files.addAll(Arrays.asList(jars));
      } else {
        File file = new File(entry);
        if (!file.exists()) {
          throw new IllegalArgumentException("class path entry " + entry + " does not exist");
        }
        files.add(file);
      }
    }
    return files;
  }
}
