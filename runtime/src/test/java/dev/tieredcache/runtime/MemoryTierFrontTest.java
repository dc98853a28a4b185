package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The memory tier's front table: after any change of a key, neither a read of the tier nor the hit path's short way
 * ({@link MemoryTier#servable}) ever returns the entry the change replaced; and the short way serves only what the
 * full decision would serve as a plain fresh hit.
 */
class MemoryTierFrontTest {

  private final ManualClock clock = new ManualClock();
  private final MemoryTier tier = new MemoryTier(1_000, clock);

  private CacheEntry entry(Object value) {
    long now = clock.millis();
    return new CacheEntry(value, now, now + 1_000, now + 3_000);
  }

  private Object servable(String key) {
    return valueOf(MemoryTier.servable(tier.frontTable(), key, clock.millis()));
  }

  private static Object valueOf(MemoryTier.Front front) {
    return front == null ? null : front.value;
  }

  /** Puts {@code old} and reads it, so the front table holds it. */
  private CacheEntry filled(String key, String value) {
    CacheEntry old = entry(value);
    tier.put(key, old);
    assertThat(tier.get(key)).isSameAs(old);
    assertThat(servable(key)).as("served from the front table after a read").isEqualTo(value);
    return old;
  }

  @Test
  void aWriteIsNotServedFromTheTableUntilReadOnceThenIs() {
    tier.put("k", entry("v"));
    assertThat(servable("k")).isNull();
    assertThat(tier.get("k").value()).isEqualTo("v");
    assertThat(servable("k")).isEqualTo("v");
  }

  @Test
  void everyChangeOfAKeyHidesTheValueItReplaced() {
    assertChangeHides("put", (k) -> tier.put(k, entry("new")), "new");
    assertChangeHides("evict", tier::evict, null);
    assertChangeHides("clear", (k) -> tier.clear(), null);
    assertChangeHides("putUnless", (k) -> tier.putUnless(k, entry("new"), () -> false), "new");
    assertChangeHides("sweep", (k) -> {
      clock.advance(Duration.ofMillis(3_000));
      assertThat(tier.sweep()).isPositive();
    }, null);
  }

  @Test
  void replaceRemoveAndMarkingStaleHideTheValueTheyReplaced() {
    CacheEntry old = filled("k", "old");
    CacheEntry updated = entry("updated");
    assertThat(tier.replace("k", old, updated)).isTrue();
    assertThat(servable("k")).isNull();
    assertThat(tier.get("k")).isSameAs(updated);

    assertThat(tier.remove("k", updated)).isTrue();
    assertThat(servable("k")).isNull();
    assertThat(tier.get("k")).isNull();

    filled("k", "fresh");
    tier.markStaleWrittenBefore(clock.millis() + 1, clock.millis());
    assertThat(servable("k")).as("a stale entry takes the long way").isNull();
    assertThat(tier.get("k").state(clock.millis())).isEqualTo(EntryState.STALE);
    assertThat(servable("k")).as("still not servable as fresh after a read").isNull();
  }

  private void assertChangeHides(String change, Consumer<String> changeIt, Object expected) {
    String key = "key-" + change;
    filled(key, "old");
    changeIt.accept(key);
    assertThat(servable(key)).as("short way after " + change).isNull();
    CacheEntry now = tier.get(key);
    assertThat(now == null ? null : now.value()).as("read after " + change).isEqualTo(expected);
    if (expected != null) {
      assertThat(servable(key)).as("short way after the read that followed " + change).isEqualTo(expected);
    }
  }

  @Test
  void onlyAFreshNonNullValueIsServedTheShortWayAndATaggedOneSaysSo() {
    long now = clock.millis();
    tier.put("tagged", new CacheEntry("v", now, now + 1_000, now + 3_000, new String[] {"t"}));
    tier.put("null", entry(null));
    tier.put("plain", entry("v"));
    tier.get("tagged");
    tier.get("null");
    tier.get("plain");

    assertThat(MemoryTier.servable(tier.frontTable(), "tagged", now).tagged).as("tags for the caller to check")
        .isTrue();
    assertThat(MemoryTier.servable(tier.frontTable(), "plain", now).tagged).isFalse();
    assertThat(servable("null")).isNull();
    assertThat(servable("plain")).isEqualTo("v");
    clock.advance(Duration.ofMillis(1_000));
    assertThat(servable("plain")).as("stale: the full decision refreshes it").isNull();
    assertThat(tier.get("plain").value()).as("the tier still holds it").isEqualTo("v");
  }

  @Test
  void anEqualKeyOfAnotherInstanceFindsTheSlot() {
    filled("sku-1", "v");
    String other = new String("sku-1".toCharArray());
    assertThat(other).isNotSameAs("sku-1");
    assertThat(servable(other)).isEqualTo("v");
  }

  @Test
  void theTableIsNeverLargerThanMaxEntriesNorThan1024Slots() {
    // one more slot holds the table's epoch
    assertThat(new MemoryTier(1, clock).frontTable()).hasSize(1 + 1);
    assertThat(new MemoryTier(100, clock).frontTable()).hasSize(64 + 1);
    assertThat(new MemoryTier(1_000_000, clock).frontTable()).hasSize(1024 + 1);
  }

  @Test
  void aFreshKeyKeepsItsSlotFromAnotherKeyOfTheSameSlotUntilItStopsBeingFresh() {
    MemoryTier two = new MemoryTier(2, clock);
    String a = "k0";
    String b = sameSlotAs(a, two.frontTable().length - 1);
    long now = clock.millis();
    two.put(b, new CacheEntry("vb", now, now + 2_000, now + 5_000));
    two.put(a, new CacheEntry("va", now, now + 1_000, now + 5_000));
    two.get(a);

    assertThat(two.get(b).value()).isEqualTo("vb");
    assertThat(valueOf(MemoryTier.servable(two.frontTable(), a, now))).as("a read of b leaves fresh a in the slot")
        .isEqualTo("va");
    assertThat(valueOf(MemoryTier.servable(two.frontTable(), b, now))).isNull();

    clock.advance(Duration.ofMillis(1_000));
    assertThat(two.get(b).value()).isEqualTo("vb");
    assertThat(valueOf(MemoryTier.servable(two.frontTable(), b, clock.millis()))).as("a is stale now: b takes the slot")
        .isEqualTo("vb");
  }

  private static String sameSlotAs(String key, int slots) {
    for (int i = 1; ; i++) {
      String other = "k" + i;
      if (slotOf(other, slots) == slotOf(key, slots)) {
        return other;
      }
    }
  }

  private static int slotOf(String key, int slots) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (slots - 1);
  }
}
