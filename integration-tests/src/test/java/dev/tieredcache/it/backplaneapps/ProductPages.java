package dev.tieredcache.it.backplaneapps;

import java.util.concurrent.atomic.AtomicLong;

/** Rendered product pages of about 4 KB each: values large enough that the number held shows in the heap. */
public class ProductPages {

  /** The length of a page, in (Latin-1) characters: a page takes about 4 KB of heap. */
  public static final int PAGE_CHARS = 4_096;

  /** Calls that reached {@link #render}'s body in this JVM. */
  public static final AtomicLong RENDERS = new AtomicLong();

  public String render(String id) {
    RENDERS.incrementAndGet();
    StringBuilder page = new StringBuilder(PAGE_CHARS);
    page.append("<html>").append(id).append("</html>");
    while (page.length() < PAGE_CHARS) {
      page.append(' ');
    }
    return page.toString();
  }
}
