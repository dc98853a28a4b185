package dev.tieredcache.runtime.testredis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds TCP ports on 127.0.0.1 that nothing listens on, by binding port 0 and closing the socket. The port can
 * be taken again before redis-server binds it, so callers retry a start that fails with "Address already in use".
 */
final class FreePorts {

  /** Redis Cluster listens for its bus on the client port plus this offset. */
  static final int CLUSTER_BUS_OFFSET = 10000;

  private static final int ATTEMPTS = 100;

  /** Ports this JVM handed out already, so two fixtures starting at once never get the same one. */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private static final InetAddress LOOPBACK = loopback();

  private FreePorts() {}

  /** A free port; with {@code clusterBus}, one whose port + 10000 is free as well. */
  static int find(boolean clusterBus) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = bindAndRelease(0);
      if (clusterBus && (port + CLUSTER_BUS_OFFSET > 65535 || !isFree(port + CLUSTER_BUS_OFFSET))) {
        continue;
      }
      if (clusterBus && HANDED_OUT.contains(port + CLUSTER_BUS_OFFSET)) {
        continue;
      }
      if (HANDED_OUT.add(port)) {
        if (clusterBus) {
          HANDED_OUT.add(port + CLUSTER_BUS_OFFSET);
        }
        return port;
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.1 after " + ATTEMPTS + " attempts"
        + (clusterBus ? " (a cluster node also needs port + " + CLUSTER_BUS_OFFSET + " free)" : ""));
  }

  private static boolean isFree(int port) {
    try {
      bindAndRelease(port);
      return true;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** 127.0.0.1 itself, not whatever {@code localhost} resolves to: the address redis-server binds. */
  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int bindAndRelease(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, LOOPBACK)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
    }
  }
}
