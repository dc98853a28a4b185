package dev.tieredcache.it.apps.keyspaces;

import java.util.concurrent.atomic.AtomicInteger;

/** Finds user names by id; one of two unrelated repositories with a method of the same name and parameters. */
public class UserRepo {
  public static final AtomicInteger CALLS = new AtomicInteger();

  public String find(long id) {
    CALLS.incrementAndGet();
    return "user-" + id;
  }
}
