package dev.tieredcache.runtime;

import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import dev.tieredcache.runtime.redis.HashedKey;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisWriter;
import dev.tieredcache.runtime.redis.ValueTooLargeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the paths of a call once, on the thread that builds the cache, so that the classes they use are loaded and
 * initialised before the host's first calls arrive. Otherwise thousands of virtual threads calling at once race to
 * load the same classes: the JVM loads a class for a virtual thread with a native frame on its stack, so every one
 * that waits for another's class loading or initialisation blocks its carrier ({@code jdk.VirtualThreadPinned},
 * measured by {@code ManyThreadsTest}: {@code RuleCache.loadOrJoin}, {@code RuleCache.await}, {@code Kryo.<init>}).
 *
 * <p>Covered: a miss and its load, a caller joining that load (on a short-lived thread of its own), a fresh hit, an
 * evict, a load that fails; with Redis also the codec (a Kryo instance, encoding and decoding an entry of a plain
 * class). Once per class loader; never throws: a failure here only leaves the classes to the first calls.
 */
final class CallPathPreload {

  private static final Logger LOG = LoggerFactory.getLogger(CallPathPreload.class);
  private static final String KEY = "preload";
  /** Whether the paths ran already in this class loader: the classes stay loaded, once is enough. */
  private static volatile boolean rulePathsDone;
  private static volatile boolean codecPathsDone;

  private CallPathPreload() {}

  static void run(CacheClock clock, RefreshPool refreshPool, boolean withCodec) {
    try {
      if (!rulePathsDone) {
        rulePaths(clock, refreshPool);
        rulePathsDone = true;
      }
      if (withCodec && !codecPathsDone) {
        codecPaths(clock);
        codecPathsDone = true;
      }
    } catch (Throwable e) {
      LOG.debug("preloading the classes of a call failed; the first calls load them: {}", e.toString());
    }
  }

  static void rulePaths(CacheClock clock, RefreshPool refreshPool) throws InterruptedException {
    RulePolicy policy = RulePolicy.builder().name("tiered-cache-preload").maxEntries(16)
        .loadTimeout(java.time.Duration.ofSeconds(2)).build();
    RuleCache rule = new RuleCache(policy, clock, refreshPool, null, null);
    Upstream upstream = new Upstream() {
      @Override
      public Object call(Object receiver, Object arguments) {
        return "value";
      }

      @Override
      public Class<?> valueType() {
        return String.class;
      }
    };
    Object load = rule.begin(KEY, upstream, null, KEY);
    if (!(load instanceof Load)) {
      return;
    }
    // a caller that joins the load: it parks in the load's future until the load completes
    Thread joiner = new Thread(() -> rule.begin(KEY, upstream, null, KEY), "tiered-cache-preload");
    joiner.setDaemon(true);
    joiner.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (rule.metrics().coalescedWaits.sum() == 0 && joiner.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    Thread.sleep(1);
    rule.complete((Load) load, "value", null);
    joiner.join(TimeUnit.SECONDS.toMillis(3));
    rule.begin(KEY, upstream, null, KEY);
    rule.evict(KEY);
    Object failing = rule.begin(KEY, upstream, null, KEY);
    if (failing instanceof Load) {
      rule.complete((Load) failing, null, new IllegalStateException("preload"));
    }
  }

  static void codecPaths(CacheClock clock) {
    ValueCodec values = ValueCodec.forType(Sample.class, List.of(), CallPathPreload.class.getClassLoader());
    EntryCodec entries = new EntryCodec(values);
    long now = clock.millis();
    Sample sample = new Sample();
    sample.name = "preload";
    sample.count = 1;
    sample.tags.add("a");
    CacheEntry read = entries.decode(entries.encode(new CacheEntry(sample, now, now + 1, now + 2)));
    // the Redis tier asks an entry read there for its state: the first run of CacheEntry.state resolves its
    // constant-pool reference to EntryState through the class loader's per-name lock, which 10,000 virtual
    // threads reading Redis at once contended for (a jdk.VirtualThreadPinned event, ManyThreadsTest on Java 25)
    for (long at = now; at <= now + 2; at++) {
      read.state(at);
    }
    // the Redis tier's own path: key names (hashed when long, the JDK's SHA-256 provider with them), the limits put
    // on header times, the exception of an oversized value
    HashedKey.looksHashed(HashedKey.of(KEY));
    EntryTimeLimits.happenedAt(now, now);
    ValueTooLargeException.class.getName();
    // a value written to Redis: queued for the writer thread (the pin ManyThreadsTest saw in RedisWriter.set)
    RedisWriter.loadClasses();
    // every Redis call's deadline, started and ended by each caller's thread
    RedisConnection.loadClasses();
  }

  /** A plain class with the usual kinds of fields, for the codec's field serializer. */
  static final class Sample {
    String name;
    int count;
    List<String> tags = new ArrayList<>();
  }
}
