package dev.tieredcache.agent.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint answers scrapes over real loopback sockets, from one named daemon thread, and lets go of its port. */
class PrometheusServerTest {

  private final TieredCache cache = TieredCache.builder().build();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private PrometheusServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    cache.close();
  }

  @Test
  void getMetricsAnswersThePageInTheTextFormat() throws Exception {
    cache.addRule(RulePolicy.builder().name("price").tiers(List.of(RulePolicy.TierKind.MEMORY)).build());
    server = PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(freePort())), cache);

    HttpResponse<String> answer = get("/metrics");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(answer.body()).contains("tiered_cache_misses_total{rule=\"price\"} 0\n");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    server = PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(freePort())), cache);

    assertThat(get("/").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(get("/metrics?name[]=x").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatSendsGarbageGetsABadRequestAndTheNextScrapeIsAnswered() throws Exception {
    server = PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(freePort())), cache);

    try (Socket raw = new Socket("127.0.0.1", server.endpoint().port())) {
      OutputStream out = raw.getOutputStream();
      out.write("hello\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = raw.getInputStream();
      assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 ");
    }
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatHangsUpBeforeItsRequestDoesNotStopTheEndpoint() throws Exception {
    server = PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(freePort())), cache);

    for (int i = 0; i < 3; i++) {
      new Socket("127.0.0.1", server.endpoint().port()).close();
    }

    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void headAnswersTheHeadersWithoutThePage() throws Exception {
    server = PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(freePort())), cache);

    HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/metrics"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Type")).contains(TextExposition.CONTENT_TYPE);
  }

  @Test
  void scrapesReadTheRuntimeShownLast() throws Exception {
    server = PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(freePort())), cache);
    try (TieredCache next = TieredCache.builder().build()) {
      next.addRule(RulePolicy.builder().name("stock").tiers(List.of(RulePolicy.TierKind.MEMORY)).build());

      server.show(next);

      assertThat(get("/metrics").body()).contains("rule=\"stock\"");
    }
  }

  @Test
  void itServesFromOneDaemonThreadNamedAfterTheAgentAndStopsOnClose() throws Exception {
    server = PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(freePort())), cache);
    get("/metrics");

    List<Thread> threads = serverThreads();
    assertThat(threads).hasSize(1);
    assertThat(threads.get(0).isDaemon()).isTrue();

    server.close();
    assertThat(serverThreads()).isEmpty();
    try (ServerSocket again = new ServerSocket(server.endpoint().port(), 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.isBound()).isTrue();
    }
    server = null;
  }

  @Test
  void aPortInUseIsReportedAsABindFailure() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> PrometheusServer.start(PrometheusEndpoint.of(Integer.toString(taken.getLocalPort())),
          cache)).isInstanceOf(BindException.class);
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://" + server.endpoint() + path);
  }

  private static List<Thread> serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(PrometheusServer.THREAD_NAME) && t.isAlive()).collect(java.util.stream.Collectors.toList());
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }
}
