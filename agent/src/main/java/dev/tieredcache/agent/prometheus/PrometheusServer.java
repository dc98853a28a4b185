package dev.tieredcache.agent.prometheus;

import dev.tieredcache.runtime.ThrottledLog;
import dev.tieredcache.runtime.TieredCache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} for Prometheus from one daemon thread, {@code tiered-cache-prometheus}, which answers
 * one connection at a time and closes it after the answer. A minimal HTTP/1.1 responder of its own rather than the
 * JDK's {@code com.sun.net.httpserver}: that one starts threads of its own ({@code HTTP-Dispatcher},
 * {@code idle-timeout-task}) that cannot be named, are daemons only when the thread that started them is, and its
 * module may be missing from a trimmed runtime. A client that stalls is dropped after {@link #CLIENT_TIMEOUT_MS}.
 */
public final class PrometheusServer implements AutoCloseable {

  static final String THREAD_NAME = "tiered-cache-prometheus";
  /** How long a client may take to send its request or read the answer. */
  static final int CLIENT_TIMEOUT_MS = 5_000;
  /** The most of a request's line and headers that is read; the rest is ignored. */
  private static final int MAX_REQUEST_HEAD = 8_192;
  /** How long the thread waits after a failed accept before the next. */
  private static final long ACCEPT_RETRY_NANOS = 100_000_000L;
  /** Connections the operating system queues while one is being answered. */
  private static final int BACKLOG = 16;

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusServer.class);

  private final PrometheusEndpoint endpoint;
  private final ServerSocket socket;
  private final Thread thread;
  private final ThrottledLog failures = new ThrottledLog(LOG);
  private volatile TieredCache cache;
  private volatile boolean open = true;

  private PrometheusServer(PrometheusEndpoint endpoint, ServerSocket socket, TieredCache cache) {
    this.endpoint = endpoint;
    this.socket = socket;
    this.cache = cache;
    this.thread = new Thread(this::serve, THREAD_NAME);
    thread.setDaemon(true);
  }

  /**
   * Binds {@code endpoint} and starts answering with the counters of {@code cache}.
   *
   * @throws IOException when the address cannot be bound (port in use, unknown host, not this machine's address)
   */
  public static PrometheusServer start(PrometheusEndpoint endpoint, TieredCache cache) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(endpoint.address(), BACKLOG);
    } catch (IOException | RuntimeException failed) {
      socket.close();
      throw failed;
    }
    PrometheusServer server = new PrometheusServer(endpoint, socket, cache);
    server.thread.start();
    return server;
  }

  /** From now on, scrapes read {@code next} (rules replaced with a new runtime). */
  public void show(TieredCache next) {
    this.cache = next;
  }

  public PrometheusEndpoint endpoint() {
    return endpoint;
  }

  /** Stops answering and releases the port; waits up to a second for the thread to end. */
  @Override
  public void close() {
    open = false;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing left to do with it
    }
    try {
      thread.join(1_000);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve() {
    while (open) {
      Socket client;
      try {
        client = socket.accept();
      } catch (Throwable failed) {
        if (open) {
          // out of file descriptors, say: said (rate-limited), and not retried in a busy loop
          failures.warn("accept", "Prometheus endpoint " + endpoint + ": cannot accept a connection", failed);
          LockSupport.parkNanos(ACCEPT_RETRY_NANOS);
        }
        continue;
      }
      try (client) {
        client.setSoTimeout(CLIENT_TIMEOUT_MS);
        answer(client);
      } catch (SocketException | java.net.SocketTimeoutException gone) {
        // the scraper went away or stalled: its problem, nothing to log
      } catch (Throwable failed) {
        failures.warn("scrape", "Prometheus endpoint " + endpoint + ": a scrape failed", failed);
      }
    }
  }

  private void answer(Socket client) throws IOException {
    String requestLine = requestLine(client.getInputStream());
    OutputStream out = client.getOutputStream();
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
      respond(out, "400 Bad Request", "text/plain; charset=utf-8", "not an HTTP request\n", true);
      return;
    }
    String method = parts[0];
    String path = parts[1];
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (!path.equals("/metrics")) {
      respond(out, "404 Not Found", "text/plain; charset=utf-8", "tiered-cache serves GET /metrics only\n", true);
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      respond(out, "405 Method Not Allowed", "text/plain; charset=utf-8", "GET /metrics\n", true);
      return;
    }
    String page;
    try {
      page = CacheMetricsPage.of(cache);
    } catch (RuntimeException failed) {
      failures.warn("page", "Prometheus endpoint " + endpoint + ": could not read the counters", failed);
      respond(out, "500 Internal Server Error", "text/plain; charset=utf-8", "the counters could not be read\n",
          true);
      return;
    }
    respond(out, "200 OK", TextExposition.CONTENT_TYPE, page, method.equals("GET"));
  }

  /** The request's first line; the headers after it are read up to the blank line (or a limit) and ignored. */
  private static String requestLine(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int matched = 0;
    while (head.size() < MAX_REQUEST_HEAD) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      // the end of the head: CRLF CRLF (or LF LF from a lax client)
      matched = b == '\n' ? matched + 1 : b == '\r' ? matched : 0;
      if (matched == 2) {
        break;
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf('\n');
    return (end >= 0 ? text.substring(0, end) : text).trim();
  }

  private static void respond(OutputStream out, String status, String contentType, String body, boolean withBody)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + "\r\n"
        + "Content-Type: " + contentType + "\r\n"
        + "Content-Length: " + bytes.length + "\r\n"
        + (status.startsWith("405") ? "Allow: GET, HEAD\r\n" : "")
        + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    if (withBody) {
      out.write(bytes);
    }
    out.flush();
  }
}
