package dev.tieredcache.runtime.backplanetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.backplane.MalformedMessageException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a batch of entries is cut into messages: in order, none over the byte cap, each readable by receivers. */
class BackplaneBatchSplitTest {

  @Test
  void entriesAreSplitIntoMessagesUnderTheByteCapInTheirOrder() throws MalformedMessageException {
    List<BackplaneMessage.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      entries.add(new BackplaneMessage.Entry(BackplaneMessage.Action.EVICT, i, "rule",
          i + ":" + "\u00e9".repeat(1_000)));
    }

    List<byte[]> messages = BackplaneMessage.encodeInBatches("instance", entries, 64 * 1024);

    List<BackplaneMessage.Entry> received = new ArrayList<>();
    for (byte[] message : messages) {
      assertThat(message.length).isLessThanOrEqualTo(64 * 1024);
      received.addAll(BackplaneMessage.decode(message).entries());
    }
    assertThat(messages).hasSizeGreaterThan(5);
    assertThat(received).extracting(BackplaneMessage.Entry::key)
        .containsExactlyElementsOf(entries.stream().map(BackplaneMessage.Entry::key).collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void smallEntriesGoAtMostMaxEntriesToAMessage() {
    List<BackplaneMessage.Entry> entries = new ArrayList<>();
    for (int i = 0; i < BackplaneMessage.MAX_ENTRIES + 1; i++) {
      entries.add(new BackplaneMessage.Entry(BackplaneMessage.Action.SET, i, "rule", "k" + i));
    }

    assertThat(BackplaneMessage.encodeInBatches("instance", entries, BackplaneMessage.MAX_PUBLISH_BYTES))
        .hasSize(2);
  }

  @Test
  void aKeyLongerThanTheLimitOrOfTheHashedFormGoesAsItsHash() {
    String limit = "k".repeat(BackplaneMessage.MAX_KEY_LENGTH);
    assertThat(BackplaneMessage.keyOnChannel(limit)).isEqualTo(limit);
    assertThat(BackplaneMessage.keyOnChannel(limit + "k")).startsWith("sha256:").hasSize(7 + 64);
    assertThat(BackplaneMessage.keyOnChannel("sha256:abc")).startsWith("sha256:").hasSize(7 + 64);
  }
}
