package dev.tieredcache.runtime.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code redis://} or {@code rediss://} (TLS) URL taken apart: {@code scheme://[user:password@]host[:port][/db]}.
 * Immutable; its {@link #toString()} is the {@link #mask masked} form.
 *
 * <p>Passwords are often pasted in raw, so the parser does not rely on {@link java.net.URI}: the user information
 * ends at the <em>last</em> {@code @}, so a password may hold {@code @}, {@code /}, {@code :}, {@code ?}, {@code #},
 * spaces and {@code %}. User and password are split at the first {@code :}; a user information without {@code :} is
 * a password alone. Percent escapes ({@code %40}) are decoded; a {@code %} that does not start one (two hex digits)
 * is kept as it is. No message of this class ever holds the password: every one names the URL by {@link #mask}.
 */
public final class RedisUrl {

  /** The port of a URL that names none. */
  public static final int DEFAULT_PORT = 6379;

  private static final String MASK = "***";

  private final boolean tls;
  private final String username;
  private final String password;
  private final String host;
  private final int port;
  private final int database;
  private final String masked;

  private RedisUrl(boolean tls, String username, String password, String host, int port, int database,
      String masked) {
    this.tls = tls;
    this.username = username;
    this.password = password;
    this.host = host;
    this.port = port;
    this.database = database;
    this.masked = masked;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the URL in its {@link #mask masked} form and what is wrong with it
   */
  public static RedisUrl parse(String text) {
    Objects.requireNonNull(text, "url");
    String shown = mask(text);
    boolean tls;
    int rest;
    if (startsWithIgnoreCase(text, "redis://")) {
      tls = false;
      rest = "redis://".length();
    } else if (startsWithIgnoreCase(text, "rediss://")) {
      tls = true;
      rest = "rediss://".length();
    } else {
      throw new IllegalArgumentException("redis url '" + shown + "' must start with redis:// or rediss:// (TLS),"
          + " like redis://127.0.0.1:6379");
    }
    String username = null;
    String password = null;
    int at = text.lastIndexOf('@');
    if (at >= rest) {
      String userInfo = text.substring(rest, at);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = decode(userInfo);
      } else {
        username = colon == 0 ? null : decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      }
      if (password != null && password.isEmpty()) {
        password = null;
      }
      rest = at + 1;
    }
    String address = text.substring(rest);
    int database = 0;
    int slash = address.indexOf('/');
    if (slash >= 0) {
      String db = address.substring(slash + 1);
      address = address.substring(0, slash);
      if (!db.isEmpty()) {
        if (!db.chars().allMatch(c -> c >= '0' && c <= '9') || db.length() > 5) {
          throw new IllegalArgumentException("redis url '" + shown + "' names database '" + db + "'; after the"
              + " host and port only a database number may follow, like redis://127.0.0.1:6379/0");
        }
        database = Integer.parseInt(db);
      }
    }
    String host;
    String portText = null;
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("redis url '" + shown + "' opens an IPv6 address with [ but does not"
            + " close it; write it like redis://[::1]:6379");
      }
      host = address.substring(1, close);
      String after = address.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("redis url '" + shown + "' has '" + after + "' after the host; write"
              + " it like redis://[::1]:6379");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = address.lastIndexOf(':');
      host = colon < 0 ? address : address.substring(0, colon);
      portText = colon < 0 ? null : address.substring(colon + 1);
    }
    if (host.isEmpty() || !host.chars().allMatch(RedisUrl::isHostChar)) {
      throw new IllegalArgumentException("redis url '" + shown + "' has no valid host name; write it like"
          + " redis://127.0.0.1:6379, and percent-encode a password's special characters if the host part still"
          + " holds some of it");
    }
    int port = DEFAULT_PORT;
    if (portText != null) {
      port = portNumber(portText, shown);
    }
    String hostPort = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    String maskedForm = (tls ? "rediss://" : "redis://")
        + (password == null && username == null ? "" : (username == null ? "" : username + ":") + MASK + "@")
        + hostPort + (database == 0 ? "" : "/" + database);
    return new RedisUrl(tls, username, password, host, port, database, maskedForm);
  }

  /**
   * The one form in which a Redis URL, or text that was meant to be one, is ever shown: whatever stands between the
   * scheme and the last {@code @} becomes {@code ***} (a user name before a {@code :} stays, so that ACL problems
   * can be told apart). Never fails, whatever the text.
   */
  public static String mask(String text) {
    if (text == null) {
      return "null";
    }
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return text;
    }
    int scheme = text.indexOf("://");
    int userStart = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    String userInfo = text.substring(userStart, at);
    int colon = userInfo.indexOf(':');
    String user = colon > 0 ? userInfo.substring(0, colon) : "";
    boolean plainUser = user.chars().allMatch(c -> Character.isLetterOrDigit(c) || "._-".indexOf(c) >= 0);
    return text.substring(0, userStart) + (plainUser && !user.isEmpty() ? user + ":" : "") + MASK
        + text.substring(at);
  }

  /** True for {@code rediss://}. */
  public boolean isTls() {
    return tls;
  }

  /** The ACL user name, when the URL names one. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The password, decoded, when the URL holds a non-empty one. Never log it. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The database number; 0 unless the URL names one. */
  public int database() {
    return database;
  }

  /** The masked form: the URL with {@code ***} for its password. */
  @Override
  public String toString() {
    return masked;
  }

  private static int portNumber(String text, String shown) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
      throw new IllegalArgumentException("redis url '" + shown + "' has port '" + text + "'; a port is a number"
          + " from 1 to 65535, like redis://127.0.0.1:6379");
    }
    return Integer.parseInt(text);
  }

  private static boolean isHostChar(int c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':');
  }

  private static boolean startsWithIgnoreCase(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** Decodes {@code %XX} escapes (UTF-8); a {@code %} that starts no escape stays, so do raw characters. */
  private static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
        continue;
      }
      if (bytes.size() > 0) {
        out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        bytes.reset();
      }
      out.append(c);
      i++;
    }
    if (bytes.size() > 0) {
      out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
