package dev.tieredcache.it.deployapps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a Redis server whether keys exist, in plain RESP over a socket: the host JVM has no Redis client of its own
 * (the agent's is relocated inside its jar), and the harness must know that a value reached Redis before it
 * redeploys.
 */
final class RedisProbe {

  private final String host;
  private final int port;

  RedisProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Waits up to {@code millis} for every key to exist; true when they do. */
  boolean awaitKeys(long millis, String... keys) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (true) {
      boolean all = true;
      for (String key : keys) {
        all &= exists(key);
      }
      if (all) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      dev.tieredcache.it.apps.Report.pause(10);
    }
  }

  private boolean exists(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    String command = "*2\r\n$6\r\nEXISTS\r\n$" + k.length + "\r\n" + key + "\r\n";
    try (Socket socket = new Socket(host, port)) {
      OutputStream out = socket.getOutputStream();
      out.write(command.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder reply = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        reply.append((char) c);
      }
      return reply.toString().equals(":1");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot ask Redis at " + host + ":" + port, e);
    }
  }
}
