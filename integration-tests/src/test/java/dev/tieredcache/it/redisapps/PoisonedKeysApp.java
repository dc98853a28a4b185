package dev.tieredcache.it.redisapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.apps.SlowCatalog;
import java.util.List;

/**
 * Reads keys under which the test wrote unreadable values into Redis before the JVM started: each call must be a
 * miss that returns the upstream's value; then a key holding a readable value. Prints each value (or what the call threw) and the upstream calls, then
 * waits {@value #WRITE_GRACE_MILLIS} ms so the agent's background writes that overwrite the bad values land before
 * the JVM exits.
 */
public final class PoisonedKeysApp {

  /** The {@code price} keys, each poisoned another way by the test. */
  public static final List<String> PRICE_KEYS = List.of("garbage", "corrupt-payload", "old-format", "gadget");
  /** A {@code price} key holding a readable value, read after the poisoned ones. */
  public static final String VALID_KEY = "valid";
  /** The {@code notice} key, holding a gadget that implements the rule's declared return type. */
  public static final String NOTICE_KEY = "gadget";
  static final long WRITE_GRACE_MILLIS = 500;

  public static void main(String[] args) {
    SlowCatalog catalog = new SlowCatalog();
    NoticeBoard board = new NoticeBoard();
    for (String key : PRICE_KEYS) {
      try {
        Report.result("price." + key, catalog.price(key));
      } catch (Throwable e) {
        Report.result("price." + key, "threw " + e);
        e.printStackTrace();
      }
    }
    Report.result("price." + VALID_KEY, catalog.price(VALID_KEY));
    try {
      Notice notice = board.notice(NOTICE_KEY);
      Report.result("notice." + NOTICE_KEY, notice.getClass().getSimpleName() + ":" + notice.text());
    } catch (Throwable e) {
      Report.result("notice." + NOTICE_KEY, "threw " + e);
      e.printStackTrace();
    }
    Report.result("priceUpstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
    Report.result("noticeUpstreamCalls", NoticeBoard.UPSTREAM_CALLS.get());
    Report.pause(WRITE_GRACE_MILLIS);
  }
}
