package dev.tieredcache.it.backplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.backplaneapps.InvalidationStreamApp;
import dev.tieredcache.it.backplaneapps.ProductPages;
import dev.tieredcache.it.backplaneapps.StreamFollowerApp;
import dev.tieredcache.it.redis.RunningApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sustained stream of invalidations between two JVMs with the agent: A's evict rule on {@code Catalog#remove}
 * runs 10,000 times a second for 10 s, each time for another key of a memory-only rule ({@code tiers: [memory]}),
 * so every removal is one eviction on the channel and Redis does nothing else. B, subscribed, keeps up and stays
 * bounded while it works.
 *
 * <p>The agent exposes no count of the messages B applied, so the test reads it off B's behaviour: B holds every
 * 20th key that A removes (5,000, fewer than the rule's max-entries, so none leaves for want of room) and must have
 * dropped all of them; and B holds 100 markers that A removes after its stream, and must have dropped all of them
 * within 1 s of A's last removal (messages of one publisher arrive in order, so B was then through the whole
 * stream). Meanwhile B renders 6,000 new 4 KB pages a second through a second memory-only rule with max-entries
 * 10,000: 70,000 pages in all, 280 MB if they were all kept; B's used heap after a GC at the end, and what it grew by
 * since before the first page, show that no more than max-entries (and a margin) are.
 * B's subscription must not drop on the way: coming back, it would mark everything stale, which would drop the
 * sample and the markers without any message applied.
 */
class PublishRateAcrossJvmsTest {

  private static final int RATE = 10_000;
  private static final int SECONDS = 10;
  private static final int STREAM_KEYS = RATE * SECONDS;
  private static final int SAMPLE_STEP = 20;
  private static final int MARKERS = 100;
  private static final int MAX_ENTRIES = 10_000;
  private static final int PAGES_PER_SECOND = 6_000;
  private static final long MAX_MARKER_LAG_MILLIS = 1_000;
  /**
   * B's live heap after a GC at the end: 10,000 pages of 4 KB are about 45 MB, the rest of the JVM and the catalogue
   * a few MB more; a page tier that kept every page would hold over 280 MB.
   */
  private static final long HEAP_BOUND_BYTES = 128L << 20;
  /**
   * The most pages the heap may hold at the end: what it grew by since before the first page, over the size of a
   * page (an overestimate, each entry also has its key and bookkeeping); max-entries and 20% for that growth.
   */
  private static final long MAX_PAGES_HELD = MAX_ENTRIES * 12L / 10;
  private static final Duration PHASE = Duration.ofSeconds(40);

  @TempDir
  Path dir;

  @Test
  void anInstanceKeepsUpWithTenThousandInvalidationsASecondWithinItsMemoryBounds() {
    String namespace = "stream";
    String channel = namespace + ":backplane";
    SignalFiles signals = SignalFiles.in(dir);
    try (RedisServer redis = RedisServer.start();
        ChannelSubscribers subscribers = new ChannelSubscribers(redis, channel)) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .jvmOption("-Xmx512m")
          .rules("namespace: " + namespace,
              "redis: {url: " + redis.url() + ", timeout: 250ms}",
              "backplane: true",
              "defaults:",
              "  ttl: 5m",
              "  jitter: 0%",
              "rules:",
              "  - name: catalog",
              "    method: dev.tieredcache.it.backplaneapps.Catalog#describe(java.lang.String)",
              "    key: \"{0}\"",
              "    tiers: [memory]",
              "    max-entries: " + MAX_ENTRIES,
              "  - name: catalog-removed",
              "    method: dev.tieredcache.it.backplaneapps.Catalog#remove(java.lang.String)",
              "    evict: {rule: catalog, key: \"{0}\"}",
              "  - name: page",
              "    method: dev.tieredcache.it.backplaneapps.ProductPages#render(java.lang.String)",
              "    key: \"{0}\"",
              "    tiers: [memory]",
              "    max-entries: " + MAX_ENTRIES);
      ForkedRun a;
      ForkedRun b;
      try (RunningApp appA = new RunningApp("A", jvm.runInBackground(InvalidationStreamApp.class,
              Integer.toString(RATE), Integer.toString(SECONDS), Integer.toString(MARKERS)), signals, "go",
              "finish");
          RunningApp appB = new RunningApp("B", jvm.runInBackground(StreamFollowerApp.class,
              Integer.toString(STREAM_KEYS), Integer.toString(SAMPLE_STEP), Integer.toString(MARKERS),
              Integer.toString(MAX_ENTRIES), Integer.toString(PAGES_PER_SECOND)), signals, "go")) {
        appA.awaitSignal("started-A", PHASE);
        appB.awaitSignal("ready-B", PHASE);
        subscribers.await(2, PHASE, appA, appB);
        signals.raise("go");
        appA.awaitSignal("markers-evicted", PHASE);
        appB.awaitSignal("done-B", PHASE);
        b = appB.finish(PHASE);
        signals.raise("finish");
        a = appA.finish(PHASE);
      }

      long removals = a.longResult("streamRemovals");
      long lagMillis = b.longResult("lastMarkerChangedAtMillis") - a.longResult("markersEvictedAtMillis");
      long heapAfterGc = b.longResult("heapAfterGcBytes");
      long pagesHeldAtMost = (heapAfterGc - b.longResult("heapBeforePagesBytes")) / ProductPages.PAGE_CHARS;
      System.out.println(String.format(Locale.ROOT,
          "[backplane figures] forked JVMs: A evicted %d distinct keys in %d ms = %d/s (at most %d behind"
              + " schedule); B dropped %d of its %d sampled keys, and all %d markers %d ms after A's last removal"
              + " (first marker %d ms after); B rendered %d pages (max-entries %d); B heap used: before its pages %d MB, peak"
              + " %d MB, after GC at the end %d MB, which can hold at most %d pages; every 100 ms (MB): %s",
          removals, a.longResult("streamMillis"), a.longResult("streamRate"),
          a.longResult("mostRemovalsBehindSchedule"), b.longResult("sampleDropped"), b.longResult("sampleKeys"),
          b.longResult("markersChanged"), lagMillis,
          b.longResult("firstMarkerChangedAtMillis") - a.longResult("markersEvictedAtMillis"),
          b.longResult("pagesRendered"), MAX_ENTRIES, b.longResult("heapBeforePagesBytes") >> 20,
          b.longResult("heapPeakBytes") >> 20, heapAfterGc >> 20, pagesHeldAtMost, b.result("heapSeriesMb")));

      a.assertHealthyAgent();
      b.assertHealthyAgent();
      assertThat(removals).as(a.context("removals A made")).isEqualTo(STREAM_KEYS);
      assertThat(a.longResult("streamRate")).as(a.context("A's achieved rate of evictions per second"))
          .isGreaterThanOrEqualTo(RATE * 95L / 100);
      assertThat(b.longResult("sampleHeldBeforeGo")).as(b.context("sampled keys B held before the stream"))
          .isEqualTo(b.longResult("sampleKeys")).isEqualTo(STREAM_KEYS / SAMPLE_STEP);
      assertThat(b.stderr()).as(b.context("B's subscription never dropped (coming back would mark all stale)"))
          .noneMatch(line -> line.contains("dropped") || line.contains("is back"));
      assertThat(b.longResult("sampleDropped")).as(b.context("sampled keys of A's stream that B dropped"))
          .isEqualTo(STREAM_KEYS / SAMPLE_STEP);
      assertThat(b.longResult("markersChanged")).as(b.context("markers B dropped")).isEqualTo(MARKERS);
      assertThat(lagMillis).as(b.context("ms from A's last marker removal until B had dropped all 100"))
          .isLessThanOrEqualTo(MAX_MARKER_LAG_MILLIS);
      assertThat(b.longResult("pagesRendered")).as(b.context("pages B rendered: far more than max-entries"))
          .isGreaterThanOrEqualTo(5L * MAX_ENTRIES);
      assertThat(heapAfterGc).as(b.context("B's used heap after a GC, bytes (pages of " + ProductPages.PAGE_CHARS
          + " chars, max-entries " + MAX_ENTRIES + ")")).isLessThan(HEAP_BOUND_BYTES);
      assertThat(pagesHeldAtMost).as(b.context("pages B's heap can hold at the end (growth since before the first"
          + " page / page size); max-entries " + MAX_ENTRIES)).isLessThanOrEqualTo(MAX_PAGES_HELD);
    }
  }
}
