package dev.tieredcache.it.backplaneapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.time.Duration;

/**
 * One instance of the tag scenario. Argument 0 names it ({@code a}, {@code b}, {@code c}); argument 1 is
 * {@code evicter} for the one instance that renames category 7. Phases, each after the test's signal:
 *
 * <ol>
 *   <li>{@code read-<name>}: reads product p1, category 7 and banner 1 twice, raises {@code has-read-<name>};
 *   <li>{@code evict} (the evicter only): renames category 7, raises {@code evicted};
 *   <li>{@code read-again-<name>}: reads the three once more, raises {@code done-<name>}.
 * </ol>
 *
 * An instance started after the evict ({@code c}) is told {@code read-again-c} only.
 */
public final class TaggedReadsApp {

  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(30);

  public static void main(String[] args) {
    String name = args[0];
    boolean evicter = args.length > 1 && "evicter".equals(args[1]);
    boolean late = args.length > 1 && "late".equals(args[1]);
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    TaggedCatalog catalog = new TaggedCatalog(name);
    signals.raise("started-" + name);

    if (!late) {
      signals.await("read-" + name, PHASE_TIMEOUT);
      read(catalog, "first");
      read(catalog, "second");
      report("BeforeEvict");
      signals.raise("has-read-" + name);
    }

    if (evicter) {
      signals.await("evict", PHASE_TIMEOUT);
      catalog.renameCategory(7, "kitchen");
      signals.raise("evicted");
    }

    signals.await("read-again-" + name, PHASE_TIMEOUT);
    read(catalog, "after");
    report("AfterEvict");
    signals.raise("done-" + name);
  }

  private static void read(TaggedCatalog catalog, String phase) {
    Report.result(phase + "Product", catalog.product("p1").getLabel());
    Report.result(phase + "Category", catalog.categoryName(7));
    Report.result(phase + "Banner", catalog.banner(1));
  }

  private static void report(String when) {
    Report.result("productCalls" + when, TaggedCatalog.PRODUCT_CALLS.get());
    Report.result("categoryCalls" + when, TaggedCatalog.CATEGORY_CALLS.get());
    Report.result("bannerCalls" + when, TaggedCatalog.BANNER_CALLS.get());
  }
}
