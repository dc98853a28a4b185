package dev.tieredcache.agent.prometheus;

import java.util.LinkedHashMap;
import java.util.Map;

/** A page in the text exposition format, as sample (name and labels, as written) to value; comments left out. */
final class ScrapedPage {

  private ScrapedPage() {}

  static Map<String, String> parse(String text) {
    Map<String, String> samples = new LinkedHashMap<>();
    text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
      int space = l.lastIndexOf(' ');
      String previous = samples.put(l.substring(0, space), l.substring(space + 1));
      if (previous != null) {
        throw new AssertionError("sample written twice: " + l);
      }
    });
    return samples;
  }
}
