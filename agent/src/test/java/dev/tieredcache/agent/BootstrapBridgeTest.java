package dev.tieredcache.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.bridge.CacheBridge;
import org.junit.jupiter.api.Test;

class BootstrapBridgeTest {

  /** The bridge of an agent version before methods' arguments went one by one: {@code enter} and {@code evict}. */
  @SuppressWarnings("unused")
  public static final class OlderBridge {
    public static Object enter(int site, Class<?> origin, Object receiver, Object arguments) {
      return null;
    }

    public static void evict(int site, Class<?> origin, Object[] arguments) {}
  }

  @Test
  void thisVersionsBridgeHasEveryEntryTheAdviceCalls() {
    assertThat(BootstrapBridge.missingEntries(CacheBridge.class)).isEmpty();
  }

  @Test
  void anOlderBridgeLeftInTheJvmIsFoundLackingWhatTheAdviceCalls() {
    assertThat(BootstrapBridge.missingEntries(OlderBridge.class)).containsExactly(
        "enter2(int, Class, Object, Object, long, Object, long)",
        "enter3(int, Class, Object, Object, long, Object, long, Object, long)",
        "enterLong(int, Class, Object, long)");
  }
}
