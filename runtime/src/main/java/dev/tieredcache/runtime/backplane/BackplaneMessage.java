package dev.tieredcache.runtime.backplane;

import dev.tieredcache.runtime.redis.HashedKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One message on the backplane channel: the publishing instance and a batch of changes (action, time, rule, key).
 * Batching lets one PUBLISH carry many invalidations when an instance writes or evicts in bursts.
 *
 * <p>Layout (big-endian): magic {@code 0xB7}, format version {@code 1}, instance id (modified UTF-8, as
 * {@link DataOutputStream#writeUTF}), entry count (unsigned short, 1 to {@value #MAX_ENTRIES}), then per entry:
 * action (byte: 1 set, 2 evict, 3 clear, 4 tag), time (long, epoch ms), rule (UTF), key (UTF; empty for clear).
 *
 * <p>A key longer than {@value #MAX_KEY_LENGTH} characters, or one that starts with {@link HashedKey#PREFIX}, is sent
 * as its {@link HashedKey} (the name the Redis tier stores it under too); receivers evict the keys they hold that
 * hash to it. Encoded messages are kept to {@value #MAX_PUBLISH_BYTES} bytes each, well below the
 * {@value #MAX_BYTES} bytes a receiver reads, so that no batch is dropped whole.
 */
public final class BackplaneMessage {

  /** What happened to a key in the publishing instance. */
  public enum Action {
    /** A new value was written (loaded or refreshed): older copies elsewhere are outdated. */
    SET,
    /** The key was evicted. */
    EVICT,
    /** Every key of the rule was evicted. */
    CLEAR,
    /**
     * A tag was evicted (SPEC §3 "Tags"): the key is the tag, the rule is empty. Instances of a version before tags
     * refuse a message that carries one.
     */
    TAG
  }

  static final int MAGIC = 0xB7;
  static final int VERSION = 1;
  /** The most entries one message carries. */
  public static final int MAX_ENTRIES = 512;
  /** The largest message a receiver reads; anything larger is ignored whole. */
  static final int MAX_BYTES = 4 * 1024 * 1024;
  /** The largest message a publisher sends: a batch that would be larger is split. */
  public static final int MAX_PUBLISH_BYTES = 512 * 1024;
  /** The longest key sent as it is; a longer one is sent as its {@link HashedKey}. */
  public static final int MAX_KEY_LENGTH = 1024;

  private final String instanceId;
  private final List<Entry> entries;

  public BackplaneMessage(String instanceId, List<Entry> entries) {
    if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("a message carries 1 to " + MAX_ENTRIES + " entries: " + entries.size());
    }
    this.instanceId = instanceId;
    this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
  }

  public String instanceId() {
    return instanceId;
  }

  public List<Entry> entries() {
    return entries;
  }

  /**
   * {@code key} as it goes on the channel: itself, or its {@link HashedKey} when {@link #sentHashed(String)} says so.
   */
  public static String keyOnChannel(String key) {
    return sentHashed(key) ? HashedKey.of(key) : key;
  }

  /** True if {@code key} goes on the channel as its {@link HashedKey}: too long, or of the hashed form itself. */
  public static boolean sentHashed(String key) {
    return key.length() > MAX_KEY_LENGTH || HashedKey.looksHashed(key);
  }

  /**
   * The messages that carry {@code entries}, in order: as few as {@value #MAX_ENTRIES} entries and
   * {@code maxBytes} bytes per message allow (an entry too large for any message on its own still goes in one of its
   * own, which receivers then refuse; keys sent through {@link #keyOnChannel} never make one that large).
   */
  public static List<byte[]> encodeInBatches(String instanceId, List<Entry> entries, int maxBytes) {
    List<byte[]> messages = new ArrayList<>();
    long headerBytes = 2 + utfLength(instanceId) + 2;
    List<Entry> batch = new ArrayList<>();
    long batchBytes = headerBytes;
    for (Entry e : entries) {
      long entryBytes = 1 + 8 + utfLength(e.rule) + utfLength(e.key);
      if (!batch.isEmpty() && (batch.size() == MAX_ENTRIES || batchBytes + entryBytes > maxBytes)) {
        messages.add(new BackplaneMessage(instanceId, batch).encode());
        batch.clear();
        batchBytes = headerBytes;
      }
      batch.add(e);
      batchBytes += entryBytes;
    }
    if (!batch.isEmpty()) {
      messages.add(new BackplaneMessage(instanceId, batch).encode());
    }
    return messages;
  }

  /** The bytes {@link DataOutputStream#writeUTF} writes for {@code text}: its 2-byte length and modified UTF-8. */
  private static long utfLength(String text) {
    long bytes = 2;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
    }
    return bytes;
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + entries.size() * 48);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(MAGIC);
      out.writeByte(VERSION);
      out.writeUTF(instanceId);
      out.writeShort(entries.size());
      for (Entry e : entries) {
        out.writeByte(e.action.ordinal() + 1);
        out.writeLong(e.time);
        out.writeUTF(e.rule);
        out.writeUTF(e.key);
      }
    } catch (IOException impossible) {
      // a ByteArrayOutputStream does not fail; a key over 64 KB of UTF-8 does (keyOnChannel never gives one)
      throw new IllegalArgumentException("cannot encode backplane message: " + impossible.getMessage(), impossible);
    }
    return bytes.toByteArray();
  }

  /** Reads a message; anything else (garbage, another format version, trailing bytes) is refused. */
  public static BackplaneMessage decode(byte[] bytes) throws MalformedMessageException {
    if (bytes == null || bytes.length < 5 || bytes.length > MAX_BYTES) {
      throw new MalformedMessageException("not a backplane message (" + (bytes == null ? 0 : bytes.length)
          + " bytes)");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readUnsignedByte() != MAGIC) {
        throw new MalformedMessageException("not a backplane message (wrong magic byte)");
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new MalformedMessageException("backplane message format " + version + " is not understood (this"
            + " instance reads format " + VERSION + ")");
      }
      String instance = in.readUTF();
      int count = in.readUnsignedShort();
      if (count < 1 || count > MAX_ENTRIES) {
        throw new MalformedMessageException("backplane message with " + count + " entries");
      }
      List<Entry> entries = new ArrayList<>(count);
      Action[] actions = Action.values();
      for (int i = 0; i < count; i++) {
        int action = in.readUnsignedByte();
        if (action < 1 || action > actions.length) {
          throw new MalformedMessageException("unknown backplane action " + action);
        }
        long time = in.readLong();
        String rule = in.readUTF();
        String key = in.readUTF();
        entries.add(new Entry(actions[action - 1], time, rule, key));
      }
      if (in.available() > 0) {
        throw new MalformedMessageException("backplane message has " + in.available() + " bytes too many");
      }
      return new BackplaneMessage(instance, entries);
    } catch (IOException truncated) {
      throw new MalformedMessageException("truncated backplane message: " + truncated);
    }
  }

  /** One change: a rule's key (or all its keys) changed at {@code time} in the publishing instance. */
  public static final class Entry {
    final Action action;
    final long time;
    final String rule;
    final String key;

    public Entry(Action action, long time, String rule, String key) {
      this.action = action;
      this.time = time;
      this.rule = rule;
      this.key = action == Action.CLEAR ? "" : key;
    }

    public Action action() { return action; }
    public long time() { return time; }
    public String rule() { return rule; }
    public String key() { return key; }

    @Override
    public String toString() {
      return action + " " + rule + ":" + key + " @" + time;
    }
  }
}
