package dev.tieredcache.runtime.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The short stand-in of a key too long to be sent as it is: {@code sha256:<64 hex digits>} of its UTF-8 bytes. The
 * Redis tier stores long keys under it, and the backplane names long keys by it, so both name a key the same way.
 */
public final class HashedKey {

  /** What every hashed key starts with; a key that starts with it is hashed too, so no key passes for another's. */
  public static final String PREFIX = "sha256:";

  private HashedKey() {}

  /** {@code sha256:<hex>} of {@code key}. */
  public static String of(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(PREFIX.length() + 64).append(PREFIX);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
    }
  }

  /** True if {@code key} has the form of a hashed key (and so is hashed itself wherever keys are hashed). */
  public static boolean looksHashed(String key) {
    return key.startsWith(PREFIX);
  }
}
