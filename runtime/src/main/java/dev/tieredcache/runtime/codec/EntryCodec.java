package dev.tieredcache.runtime.codec;

import dev.tieredcache.runtime.CacheEntry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns a whole cached entry into the bytes of one Redis value and back: a fixed header, then the value as
 * {@link ValueCodec} writes it. Thread-safe when its {@link ValueCodec} is (it always is).
 *
 * <pre>
 * offset  size  field
 *      0     2  magic: 0xF5 0xCC (0xF5 never occurs in UTF-8 text, so no text value reads as an entry)
 *      2     1  format version: 2 (1 was the same header before a value's collections spent a byte per element)
 *      3     8  written at, epoch milliseconds, big-endian signed
 *     11     8  fresh until, epoch milliseconds, big-endian signed
 *     19     8  stale until, epoch milliseconds, big-endian signed; never less than fresh until
 *     27     n  the value: {@link ValueCodec} payload (at least 1 byte; {@code null} is 1 byte)
 * </pre>
 *
 * An entry with tags (SPEC §3 "Tags") is written as format 3: the same 27 bytes with version 3, then the tags, then
 * the value. Untagged entries keep format 2, so instances of an older version still read them.
 *
 * <pre>
 *     27     1  tag count, 1 to {@value #MAX_TAGS}
 *     28     .  per tag: 2 bytes length (big-endian, 1 to {@value #MAX_TAG_BYTES}), then that many bytes of UTF-8
 *      .     n  the value, as above
 * </pre>
 *
 * Only the times that every instance reads the same way are stored; refresh-ahead and error-backoff state stay in
 * the instance that has them. A reader refuses any other format version, older or newer: the value is then a miss
 * and the next load overwrites it with the current format. Tag lengths are checked against the bytes left before
 * anything is allocated, so hostile content costs a miss, never a large allocation.
 */
public final class EntryCodec {

  /** The format version this class writes and the only one it reads. */
  public static final int FORMAT_VERSION = 2;
  /** The format version of an entry with tags; read as well as {@link #FORMAT_VERSION}. */
  public static final int TAGGED_FORMAT_VERSION = 3;
  /** The most tags one entry carries. */
  public static final int MAX_TAGS = 32;
  /** The longest tag, in UTF-8 bytes. */
  public static final int MAX_TAG_BYTES = 1024;

  static final byte MAGIC_0 = (byte) 0xF5;
  static final byte MAGIC_1 = (byte) 0xCC;
  static final int HEADER_LENGTH = 27;

  private final ValueCodec values;

  public EntryCodec(ValueCodec values) {
    this.values = Objects.requireNonNull(values, "values");
  }

  /**
   * The bytes of {@code entry}.
   *
   * @throws CodecException if its value cannot be encoded, or its stale limit comes before its fresh limit
   */
  public byte[] encode(CacheEntry entry) {
    checkTimes(entry.freshUntil(), entry.staleUntil());
    String[] tags = entry.tags();
    byte[][] tagBytes = tags == null ? null : tagBytes(tags);
    int headerLength = HEADER_LENGTH;
    if (tagBytes != null) {
      headerLength += 1;
      for (byte[] tag : tagBytes) {
        headerLength += 2 + tag.length;
      }
    }
    byte[] bytes = values.encode(entry.value(), headerLength);
    bytes[0] = MAGIC_0;
    bytes[1] = MAGIC_1;
    bytes[2] = (byte) (tagBytes == null ? FORMAT_VERSION : TAGGED_FORMAT_VERSION);
    putLong(bytes, 3, entry.writtenAt());
    putLong(bytes, 11, entry.freshUntil());
    putLong(bytes, 19, entry.staleUntil());
    if (tagBytes != null) {
      int at = HEADER_LENGTH;
      bytes[at++] = (byte) tagBytes.length;
      for (byte[] tag : tagBytes) {
        bytes[at++] = (byte) (tag.length >>> 8);
        bytes[at++] = (byte) tag.length;
        System.arraycopy(tag, 0, bytes, at, tag.length);
        at += tag.length;
      }
    }
    return bytes;
  }

  /**
   * The entry {@link #encode} turned into {@code bytes}.
   *
   * @throws CodecException if the bytes are truncated, not an entry, of another format version, or hold a value
   *     that {@link ValueCodec#decode} refuses; never another exception
   */
  public CacheEntry decode(byte[] bytes) {
    if (bytes == null || bytes.length <= HEADER_LENGTH) {
      throw new CodecException("truncated entry: " + (bytes == null ? "no" : String.valueOf(bytes.length))
          + " bytes, but the header alone takes " + HEADER_LENGTH + " and a value at least 1 more");
    }
    if (bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      // the value's own bytes are not shown: what another program stored under the key may be a secret
      throw new CodecException(String.format("not a tiered-cache entry: it does not start with 0x%02X 0x%02X",
          MAGIC_0 & 0xff, MAGIC_1 & 0xff));
    }
    int version = bytes[2] & 0xff;
    if (version != FORMAT_VERSION && version != TAGGED_FORMAT_VERSION) {
      throw new CodecException("entry format version " + version + " is not readable by this version, which reads "
          + FORMAT_VERSION + " and " + TAGGED_FORMAT_VERSION + " only");
    }
    long writtenAt = getLong(bytes, 3);
    long freshUntil = getLong(bytes, 11);
    long staleUntil = getLong(bytes, 19);
    checkTimes(freshUntil, staleUntil);
    int at = HEADER_LENGTH;
    String[] tags = null;
    if (version == TAGGED_FORMAT_VERSION) {
      int count = bytes[at++] & 0xff;
      if (count < 1 || count > MAX_TAGS) {
        throw new CodecException("entry with " + count + " tags; 1 to " + MAX_TAGS + " are readable");
      }
      tags = new String[count];
      for (int i = 0; i < count; i++) {
        if (bytes.length - at < 2) {
          throw new CodecException("truncated entry: tag " + i + " of " + count + " has no length");
        }
        int length = ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
        at += 2;
        if (length < 1 || length > MAX_TAG_BYTES) {
          throw new CodecException("entry tag of " + length + " bytes; 1 to " + MAX_TAG_BYTES + " are readable");
        }
        if (bytes.length - at <= length) {
          // the value takes at least one byte after the last tag
          throw new CodecException("truncated entry: tag " + i + " of " + count + " needs " + length + " bytes and"
              + " a value after them, " + (bytes.length - at) + " are left");
        }
        tags[i] = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
      }
    }
    Object value = values.decode(bytes, at, bytes.length - at);
    return new CacheEntry(value, writtenAt, freshUntil, staleUntil, tags);
  }

  private static byte[][] tagBytes(String[] tags) {
    if (tags.length > MAX_TAGS) {
      throw new CodecException("an entry carries at most " + MAX_TAGS + " tags, this one " + tags.length);
    }
    byte[][] all = new byte[tags.length][];
    for (int i = 0; i < tags.length; i++) {
      byte[] tag = tags[i].getBytes(StandardCharsets.UTF_8);
      if (tag.length < 1 || tag.length > MAX_TAG_BYTES) {
        throw new CodecException("a tag takes 1 to " + MAX_TAG_BYTES + " bytes of UTF-8, this one " + tag.length);
      }
      all[i] = tag;
    }
    return all;
  }

  private static void checkTimes(long freshUntil, long staleUntil) {
    if (staleUntil < freshUntil) {
      throw new CodecException("entry is stale until " + staleUntil + ", before it stops being fresh at " + freshUntil);
    }
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }
}
