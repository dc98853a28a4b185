package dev.tieredcache.it.redisapps;

import java.util.concurrent.atomic.AtomicInteger;

/** An upstream whose declared return type is an interface, which a gadget class on the class path implements too. */
public class NoticeBoard {

  public static final AtomicInteger UPSTREAM_CALLS = new AtomicInteger();

  public Notice notice(String topic) {
    UPSTREAM_CALLS.incrementAndGet();
    return new PlainNotice("notice for " + topic);
  }
}
