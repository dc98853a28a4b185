package dev.tieredcache.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3 {@code redis.timeout} bounds a whole call, not each socket read: a Redis that trickles its reply (here 2 KB
 * at one byte every 20 ms, 41 s in all, each read well within the timeout) costs a caller about the timeout, then a
 * miss; the connection is given up and the next call gets a new one; such calls count against the breaker.
 */
class CallTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofMillis(200);
  private static final int TRICKLED_BYTES = 2048;

  private TricklingRedis server;
  private RedisConnection redis;

  @BeforeEach
  void start() throws IOException {
    server = new TricklingRedis();
    redis = new RedisConnection(RedisConfig.url("redis://127.0.0.1:" + server.port(), TIMEOUT),
        System::currentTimeMillis);
  }

  @AfterEach
  void stop() throws IOException {
    redis.close();
    server.close();
  }

  @Test
  void aTrickledReplyEndsTheCallAsAMissWithinAboutTheTimeout() throws Exception {
    assertThat(redis.get(key("quick"))).as("warm-up: connection made, classes loaded").isEqualTo(key("v"));

    long start = System.nanoTime();
    assertThatThrownBy(() -> redis.get(key("trickle"))).isInstanceOf(RedisUnavailableException.class);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    System.out.println("CallTimeoutTest: the trickled call took " + tookMs + " ms (timeout " + TIMEOUT.toMillis()
        + " ms)");

    assertThat(tookMs).as("ms the call took against a reply trickled over 41 s (timeout %d ms)", TIMEOUT.toMillis())
        .isLessThan(2 * TIMEOUT.toMillis());
    assertThat(tookMs).isGreaterThanOrEqualTo(TIMEOUT.toMillis() - 20);
  }

  @Test
  void theConnectionOfACutCallIsGivenUpAndTheNextCallWorksOnANewOne() throws Exception {
    assertThat(redis.get(key("quick"))).isEqualTo(key("v"));
    int connections = server.connections();

    assertThatThrownBy(() -> redis.get(key("trickle"))).isInstanceOf(RedisUnavailableException.class);

    assertThat(redis.get(key("quick"))).as("the next call, with the rest of the trickle not read")
        .isEqualTo(key("v"));
    assertThat(server.connections()).as("connections made").isEqualTo(connections + 1);
  }

  @Test
  void aReplyThatTricklesWithinTheTimeoutIsRead() throws Exception {
    assertThat(redis.get(key("quick"))).isEqualTo(key("v"));

    assertThat(redis.get(key("short-trickle"))).as("5 bytes at 20 ms each").isEqualTo(key("abcde"));
  }

  @Test
  void trickledCallsCountAgainstTheBreaker() throws Exception {
    assertThat(redis.get(key("quick"))).isEqualTo(key("v"));

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> redis.get(key("trickle"))).isInstanceOf(RedisUnavailableException.class);
    }

    assertThat(redis.isCircuitOpen()).isTrue();
  }

  private static byte[] key(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Speaks just enough RESP for a Jedis client: OK to everything, PONG to PING; to the bounded GET (an EVAL) of key
   * {@code quick} the value {@code v}, of {@code short-trickle} five bytes and of {@code trickle} 2 KB, both one byte
   * every 20 ms.
   */
  private static final class TricklingRedis implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> accepted = new ArrayList<>();

    TricklingRedis() throws IOException {
      Thread acceptor = new Thread(this::accept, "trickling-redis-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          connections.incrementAndGet();
          synchronized (accepted) {
            accepted.add(client);
          }
          Thread serving = new Thread(() -> serve(client), "trickling-redis-client");
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
            out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } else if (name.equals("EVAL") || name.equals("EVALSHA")) {
            String key = command.get(3);
            if (key.equals("quick")) {
              out.write("$1\r\nv\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
            } else if (key.equals("short-trickle")) {
              trickle(out, "$5\r\nabcde\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
              byte[] reply = ("$" + TRICKLED_BYTES + "\r\n" + "x".repeat(TRICKLED_BYTES) + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII);
              trickle(out, reply);
            }
          } else {
            out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        }
      } catch (IOException | InterruptedException gone) {
        // the client gave the connection up
      }
    }

    private static void trickle(OutputStream out, byte[] reply) throws IOException, InterruptedException {
      int headerEnd = 0;
      while (reply[headerEnd] != '\n') {
        headerEnd++;
      }
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
}
