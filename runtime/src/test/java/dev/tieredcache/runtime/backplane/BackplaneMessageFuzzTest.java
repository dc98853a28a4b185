package dev.tieredcache.runtime.backplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tieredcache.runtime.fuzzing.PerInputLimits;

/**
 * Coverage-guided fuzzing of the backplane message decoder: whatever bytes arrive on the channel,
 * {@link BackplaneMessage#decode} returns a message or throws {@link MalformedMessageException}, within the bounds
 * of {@link PerInputLimits}; a message it returns encodes and decodes again to the same entries.
 *
 * <p>In {@code mvn verify} this runs the inputs kept under {@code BackplaneMessageFuzzTestInputs/} in the test
 * resources; {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class BackplaneMessageFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void decodeAnyBytes(byte[] data) {
    PerInputLimits.check("decoding " + data.length + " bytes", () -> {
      BackplaneMessage message;
      try {
        message = BackplaneMessage.decode(data);
      } catch (MalformedMessageException refused) {
        return;
      }
      BackplaneMessage again;
      try {
        again = BackplaneMessage.decode(message.encode());
      } catch (MalformedMessageException e) {
        throw new AssertionError("a decoded message does not decode again after encoding", e);
      }
      assertThat(again.instanceId()).isEqualTo(message.instanceId());
      assertThat(again.entries()).hasSameSizeAs(message.entries());
      for (int i = 0; i < message.entries().size(); i++) {
        assertThat(again.entries().get(i).toString()).isEqualTo(message.entries().get(i).toString());
      }
    });
  }
}
