package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * A condition that comes and goes is logged once when it starts (WARN) and once when it ends (INFO), whatever happens
 * in between; one that keeps coming back within the quiet period goes to DEBUG until the period has passed.
 */
class StateChangeLogTest {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
      new Class<?>[] {Logger.class}, (proxy, method, args) -> {
        String name = method.getName();
        if (name.startsWith("is")) {
          return Boolean.TRUE;
        }
        if (name.equals("warn") || name.equals("info") || name.equals("debug")) {
          lines.add(name.toUpperCase(java.util.Locale.ROOT) + " " + args[0]);
        }
        return null;
      });
  private final ManualClock clock = new ManualClock();
  private final StateChangeLog log = new StateChangeLog(logger, clock, Duration.ofMinutes(1));

  @Test
  void aConditionSeenManyTimesIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
    for (int i = 0; i < 20; i++) {
      log.started(() -> "lost", () -> "still lost");
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(log.isOn()).isTrue();
    log.ended(() -> "back");
    log.ended(() -> "back");

    assertThat(lines).filteredOn(l -> !l.startsWith("DEBUG")).containsExactly("WARN lost", "INFO back");
    assertThat(lines).filteredOn(l -> l.equals("DEBUG still lost")).hasSize(19);
    assertThat(log.isOn()).isFalse();
  }

  @Test
  void anEndWithoutAStartLogsNothing() {
    assertThat(log.ended(() -> "back")).isFalse();
    assertThat(lines).isEmpty();
  }

  @Test
  void aConditionThatComesBackWithinTheQuietPeriodGoesToDebugAndIsCountedInTheNextWarning() {
    log.started(() -> "lost", null);
    log.ended(() -> "back");
    clock.advance(Duration.ofSeconds(10));
    log.started(() -> "lost", null);
    log.ended(() -> "back");
    clock.advance(Duration.ofSeconds(10));
    log.started(() -> "lost", null);
    log.ended(() -> "back");
    clock.advance(Duration.ofSeconds(41));
    log.started(() -> "lost", null);
    log.ended(() -> "back");

    assertThat(lines).filteredOn(l -> !l.startsWith("DEBUG")).containsExactly("WARN lost", "INFO back",
        "WARN lost (it also started and ended 2 times since the last such line)", "INFO back");
    assertThat(lines).filteredOn(l -> l.startsWith("DEBUG")).hasSize(4);
  }
}
