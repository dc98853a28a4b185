package dev.tieredcache.it.apps;

import java.util.concurrent.atomic.AtomicInteger;

/** Lookups that find nothing and return {@code null}. */
public class Directory {

  public static final AtomicInteger NICKNAME_CALLS = new AtomicInteger();
  public static final AtomicInteger AVATAR_CALLS = new AtomicInteger();

  public String nickname(String user) {
    NICKNAME_CALLS.incrementAndGet();
    return null;
  }

  public String avatar(String user) {
    AVATAR_CALLS.incrementAndGet();
    return null;
  }
}
