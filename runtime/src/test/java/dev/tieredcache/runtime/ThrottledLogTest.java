package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** A fault hit on every call logs once per topic and interval, not once per call. */
class ThrottledLogTest {

  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
      new Class<?>[] {Logger.class}, (proxy, method, args) -> {
        if (method.getName().equals("warn")) {
          warnings.add((String) args[0]);
        }
        return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
      });
  private final ThrottledLog log = new ThrottledLog(logger);

  @Test
  void aTopicIsLoggedOnceWithinItsInterval() {
    for (int i = 0; i < 100; i++) {
      log.warn("begin", "internal error", new IllegalStateException());
    }

    assertThat(warnings).containsExactly("internal error");
  }

  @Test
  void eachTopicIsThrottledOnItsOwn() {
    log.warn("a", "first a", null);
    log.warn("b", "first b", null);
    log.warn("a", "second a", null);

    assertThat(warnings).containsExactly("first a", "first b");
  }
}
