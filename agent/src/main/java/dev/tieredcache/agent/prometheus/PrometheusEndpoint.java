package dev.tieredcache.agent.prometheus;

import java.net.InetSocketAddress;

/**
 * Where {@code /metrics} is served, from the rules file's {@code metrics.prometheus}: a port alone means the loopback
 * address {@code 127.0.0.1}, so that nothing is exposed beyond the machine unless the file names an address.
 */
public final class PrometheusEndpoint {

  static final String LOOPBACK = "127.0.0.1";

  private final String host;
  private final int port;

  private PrometheusEndpoint(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * The endpoint of a setting the rules parser accepted: {@code 9464}, {@code host:9464}, {@code [::1]:9464}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static PrometheusEndpoint of(String setting) {
    String text = setting.trim();
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return new PrometheusEndpoint(LOOPBACK, port(text, setting));
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("'" + setting + "': write an IPv6 address in brackets, like [::1]:9464");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("'" + setting + "' names no host; write it like 127.0.0.1:9464");
    }
    return new PrometheusEndpoint(host, port(text.substring(colon + 1), setting));
  }

  private static int port(String text, String setting) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException notNumber) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("'" + setting + "' has no port from 1 to 65535; write it like 9464");
    }
    return port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrometheusEndpoint && ((PrometheusEndpoint) o).host.equals(host)
        && ((PrometheusEndpoint) o).port == port;
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  /** {@code 127.0.0.1:9464}, {@code [::1]:9464}. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
