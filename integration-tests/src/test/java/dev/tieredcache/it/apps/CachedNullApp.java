package dev.tieredcache.it.apps;

/** Looks up a missing nickname (cache-nulls: true) and a missing avatar (cache-nulls: false) twice each. */
public final class CachedNullApp {

  public static void main(String[] args) {
    Directory directory = new Directory();
    Report.result("nickname.first", directory.nickname("ann"));
    Report.result("nickname.second", directory.nickname("ann"));
    Report.result("nickname.calls", Directory.NICKNAME_CALLS.get());
    Report.result("avatar.first", directory.avatar("ann"));
    Report.result("avatar.second", directory.avatar("ann"));
    Report.result("avatar.calls", Directory.AVATAR_CALLS.get());
  }
}
