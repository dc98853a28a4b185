package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo {@link Input} over one payload that refuses lengths the payload cannot hold, so that a corrupt or
 * crafted length never makes Kryo allocate an array larger than the payload itself.
 *
 * <p>Every array, string, collection and map element takes at least one byte on the wire (the collection, map and
 * object-array serializers of this package write each element with its class, and a {@code null} as one byte), so
 * a length larger than the bytes left is corrupt and is refused before anything is allocated from it. Trailing
 * bytes buy nothing: a length only lets a reader grow its buffer as elements actually arrive, each consuming
 * bytes, so decoding does work in proportion to the bytes it reads. Not thread-safe: one per pooled Kryo.
 */
final class BoundedInput extends Input {

  private static final byte[] NO_BYTES = new byte[0];
  private static final int RETAINED_CHARS = 8_192;

  /** How many hashed sets and maps this payload has opened so far (see {@link BoundedSerializers}). */
  private long hashedOpened;
  /** Whether the payload was encoded by this process (a copy-on-read), so keys holding hashed containers pass. */
  private boolean ownBytes;

  BoundedInput() {
    super(NO_BYTES);
  }

  /** Reads {@code count} bytes of {@code bytes} from {@code offset}. */
  void start(byte[] bytes, int offset, int count, boolean ownBytes) {
    setBuffer(bytes, offset, count);
    hashedOpened = 0;
    this.ownBytes = ownBytes;
  }

  /** Whether {@code input} holds bytes this process encoded itself (see {@link #start}). */
  static boolean holdsOwnBytes(Input input) {
    return input instanceof BoundedInput && ((BoundedInput) input).ownBytes;
  }

  /** Notes that a hashed set or map of {@code input} starts to be read. */
  static void openHashed(Input input) {
    if (input instanceof BoundedInput) {
      ((BoundedInput) input).hashedOpened++;
    }
  }

  /** How many hashed sets and maps {@code input} has opened so far; 0 when it is not bounded. */
  static long hashedOpened(Input input) {
    return input instanceof BoundedInput ? ((BoundedInput) input).hashedOpened : 0;
  }

  /** Drops the payload and any large scratch buffer, so a pooled input retains neither. */
  void finish() {
    setBuffer(NO_BYTES);
    if (chars.length > RETAINED_CHARS) {
      chars = new char[32];
    }
  }

  int remaining() {
    return limit - position;
  }

  /** Throws unless {@code elements} elements of at least {@code bytesEach} bytes fit in what is left. */
  void requireAvailable(long elements, int bytesEach) {
    if (elements < 0 || elements * bytesEach > remaining()) {
      throw new KryoException("corrupt payload: a length of " + elements + " does not fit in the " + remaining()
          + " bytes left");
    }
  }

  /** {@link #requireAvailable} when {@code input} is bounded; Kryo's serializers see a plain {@link Input}. */
  static void requireAvailable(Input input, long elements) {
    if (input instanceof BoundedInput) {
      ((BoundedInput) input).requireAvailable(elements, 1);
    }
  }

  @Override
  public byte[] readBytes(int length) {
    requireAvailable(length, 1);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    requireAvailable(length, 4);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    requireAvailable(length, 1);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    requireAvailable(length, 8);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    requireAvailable(length, 1);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    requireAvailable(length, 4);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    requireAvailable(length, 8);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    requireAvailable(length, 2);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    requireAvailable(length, 2);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    requireAvailable(length, 1);
    return super.readBooleans(length);
  }

  @Override
  public String readString() {
    checkUtf8Length();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkUtf8Length();
    return super.readStringBuilder();
  }

  /**
   * Kryo sizes its char buffer from a UTF-8 string's char count before reading it; each char takes at least one
   * byte. (ASCII strings carry no count: they end at a marked byte, within the payload.)
   */
  private void checkUtf8Length() {
    int start = position;
    if (readVarIntFlag()) {
      int charCountPlusOne = readVarIntFlag(true);
      int left = remaining();
      position = start;
      if (charCountPlusOne < 0 || charCountPlusOne - 1 > left) {
        throw new KryoException("corrupt payload: a string of " + (charCountPlusOne - 1L) + " chars does not fit in the "
            + left + " bytes left");
      }
    } else {
      position = start;
    }
  }
}
