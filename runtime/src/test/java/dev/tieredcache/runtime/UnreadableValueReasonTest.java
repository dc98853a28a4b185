package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What the log says of an unreadable Redis value comes from the codec, which may quote text from the value (a class
 * name, say): it is kept to one short line, so that a hostile value cannot forge log lines or fill the log.
 */
class UnreadableValueReasonTest {

  @Test
  void aLineBreakInTheReasonCannotStartAForgedLogLine() {
    assertThat(RedisTier.printable("class a\n[tiered-cache] ERROR forged\r\u0000 is not allowed"))
        .isEqualTo("class a [tiered-cache] ERROR forged   is not allowed").doesNotContain("\n");
  }

  @Test
  void aLongReasonIsCutAt300Characters() {
    assertThat(RedisTier.printable("x".repeat(10_000))).hasSize(303).endsWith("...");
    assertThat(RedisTier.printable("short")).isEqualTo("short");
    assertThat(RedisTier.printable(null)).isEqualTo("no reason given");
  }
}
