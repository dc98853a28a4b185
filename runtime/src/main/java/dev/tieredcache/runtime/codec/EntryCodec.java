package dev.tieredcache.runtime.codec;

import dev.tieredcache.runtime.CacheEntry;
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
 * Only the times that every instance reads the same way are stored; refresh-ahead and error-backoff state stay in
 * the instance that has them. A reader refuses any other format version, older or newer: the value is then a miss
 * and the next load overwrites it with the current format.
 */
public final class EntryCodec {

  /** The format version this class writes and the only one it reads. */
  public static final int FORMAT_VERSION = 2;

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
    byte[] bytes = values.encode(entry.value(), HEADER_LENGTH);
    bytes[0] = MAGIC_0;
    bytes[1] = MAGIC_1;
    bytes[2] = (byte) FORMAT_VERSION;
    putLong(bytes, 3, entry.writtenAt());
    putLong(bytes, 11, entry.freshUntil());
    putLong(bytes, 19, entry.staleUntil());
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
    if (version != FORMAT_VERSION) {
      throw new CodecException("entry format version " + version + " is not readable by this version, which reads "
          + FORMAT_VERSION + " only");
    }
    long writtenAt = getLong(bytes, 3);
    long freshUntil = getLong(bytes, 11);
    long staleUntil = getLong(bytes, 19);
    checkTimes(freshUntil, staleUntil);
    Object value = values.decode(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
    return new CacheEntry(value, writtenAt, freshUntil, staleUntil);
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
