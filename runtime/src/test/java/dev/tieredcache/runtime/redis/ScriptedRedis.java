package dev.tieredcache.runtime.redis;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile or sick Redis: speaks just enough RESP for a Jedis client (OK to everything, PONG to PING), and answers
 * the bounded GET (an EVAL) and SET by the key's name: {@code quick} the value {@code v}; {@code short-trickle} five
 * bytes and {@code trickle} 2 KB, both one byte every 20 ms; {@code deep} an array nested 200,000 deep (a stack
 * overflow in the client); {@code huge} a bulk reply that declares 2 GB (an out-of-memory error in the client);
 * {@code array} an array instead of a value. Keys of the SETs it answered are kept, in order.
 */
final class ScriptedRedis implements AutoCloseable {

  private static final int TRICKLED_BYTES = 2048;

  private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> accepted = new ArrayList<>();
  private final Queue<String> setKeys = new ConcurrentLinkedQueue<>();

  ScriptedRedis() throws IOException {
    Thread acceptor = new Thread(this::accept, "scripted-redis-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "redis://127.0.0.1:" + socket.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  /** Keys of the SETs answered with OK so far, in order. */
  List<String> setKeys() {
    return List.copyOf(setKeys);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        connections.incrementAndGet();
        synchronized (accepted) {
          accepted.add(client);
        }
        Thread serving = new Thread(() -> serve(client), "scripted-redis-client");
        serving.setDaemon(true);
        serving.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (Socket s = client) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        List<String> command = readCommand(in);
        if (command == null) {
          return;
        }
        String name = command.get(0).toUpperCase();
        if (name.equals("PING")) {
          send(out, "+PONG\r\n");
        } else if (name.equals("EVAL") || name.equals("EVALSHA")) {
          reply(out, command.get(3), "$1\r\nv\r\n");
        } else if (name.equals("SET")) {
          if (reply(out, command.get(1), "+OK\r\n")) {
            setKeys.add(command.get(1));
          }
        } else {
          send(out, "+OK\r\n");
        }
      }
    } catch (IOException | InterruptedException gone) {
      // the client gave the connection up
    }
  }

  /** Replies for {@code key}; true if the reply was the normal one. */
  private static boolean reply(OutputStream out, String key, String normal) throws IOException, InterruptedException {
    switch (key) {
      case "short-trickle":
        trickle(out, "$5\r\nabcde\r\n");
        return false;
      case "trickle":
        trickle(out, "$" + TRICKLED_BYTES + "\r\n" + "x".repeat(TRICKLED_BYTES) + "\r\n");
        return false;
      case "deep":
        send(out, "*1\r\n".repeat(200_000) + ":1\r\n");
        return false;
      case "huge":
        send(out, "$" + (Integer.MAX_VALUE - 1) + "\r\n");
        return false;
      case "array":
        send(out, "*1\r\n$1\r\nv\r\n");
        return false;
      default:
        send(out, normal);
        return true;
    }
  }

  private static void send(OutputStream out, String reply) throws IOException {
    out.write(reply.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void trickle(OutputStream out, String text) throws IOException, InterruptedException {
    byte[] reply = text.getBytes(StandardCharsets.US_ASCII);
    int headerEnd = text.indexOf('\n');
    out.write(reply, 0, headerEnd + 1);
    out.flush();
    for (int i = headerEnd + 1; i < reply.length; i++) {
      Thread.sleep(20);
      out.write(reply[i]);
      out.flush();
    }
  }

  /** One command (an array of bulk strings), or null at the end of the stream. */
  private static List<String> readCommand(InputStream in) throws IOException {
    String header = readLine(in);
    if (header == null) {
      return null;
    }
    int count = Integer.parseInt(header.substring(1));
    List<String> parts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = Integer.parseInt(readLine(in).substring(1));
      byte[] bytes = in.readNBytes(length + 2);
      parts.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
    return parts;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        return null;
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    synchronized (accepted) {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
