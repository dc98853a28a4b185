package dev.tieredcache.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.testredis.RedisServer;
import dev.tieredcache.runtime.testredis.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against real TLS-only servers: the certificate must be signed by a trusted authority and, unless
 * verification is turned off, name the host connected to (product contract §5).
 */
class RedisTlsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final byte[] KEY = "tls-key".getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path certificates;
  private static TestCertificates ca;
  /** Its certificate names localhost and 127.0.0.1. */
  private static RedisServer rightName;
  /** Its certificate, from the same CA, names only redis.other.example. */
  private static RedisServer otherName;

  @BeforeAll
  static void startServers() {
    ca = TestCertificates.create(certificates);
    rightName = RedisServer.builder().tls(ca.server("right", "DNS:localhost", "IP:127.0.0.1")).start();
    otherName = RedisServer.builder().tls(ca.server("other", "DNS:redis.other.example")).start();
  }

  @AfterAll
  static void stopServers() {
    if (rightName != null) {
      rightName.close();
    }
    if (otherName != null) {
      otherName.close();
    }
  }

  private static RedisConnection connect(String url, RedisTls tls) {
    return new RedisConnection(RedisConfig.url(url, TIMEOUT).withTls(tls), System::currentTimeMillis);
  }

  private static void roundTrip(RedisConnection redis) throws RedisUnavailableException, ValueTooLargeException {
    byte[] value = ("v" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    redis.set(KEY, value, 60_000);
    assertThat(redis.get(KEY)).isEqualTo(value);
  }

  @Test
  void certificateForTheHostConnectedToIsAccepted() throws Exception {
    RedisTls trustingCa = RedisTls.of(ca.authority(), null, true);
    try (RedisConnection byIp = connect("rediss://127.0.0.1:" + rightName.port(), trustingCa);
        RedisConnection byName = connect("rediss://localhost:" + rightName.port(), trustingCa)) {
      roundTrip(byIp);
      roundTrip(byName);
    }
  }

  @Test
  void certificateForAnotherNameIsRefused() {
    try (RedisConnection redis = connect("rediss://127.0.0.1:" + otherName.port(),
        RedisTls.of(ca.authority(), null, true))) {
      assertThatThrownBy(() -> redis.get(KEY)).isInstanceOf(RedisUnavailableException.class)
          .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }
  }

  @Test
  void hostNameVerificationIsOnByDefaultForRediss() {
    RedisConfig config = RedisConfig.url("rediss://127.0.0.1:" + otherName.port(), TIMEOUT);
    assertThat(config.tls()).contains(RedisTls.DEFAULT);
    assertThat(RedisTls.DEFAULT.verifiesHostname()).isTrue();
    assertThat(RedisTls.of(ca.authority(), null, true)).isNotEqualTo(RedisTls.of(ca.authority(), null, false));
  }

  @Test
  void verificationTurnedOffAcceptsAnotherNameButStillChecksTheAuthority() throws Exception {
    try (RedisConnection redis = connect("rediss://127.0.0.1:" + otherName.port(),
        RedisTls.of(ca.authority(), null, false))) {
      roundTrip(redis);
    }
  }

  @Test
  void serverSignedByAnUntrustedAuthorityIsRefused() {
    try (RedisConnection redis = connect("rediss://127.0.0.1:" + rightName.port(), RedisTls.DEFAULT)) {
      assertThatThrownBy(() -> redis.get(KEY)).isInstanceOf(RedisUnavailableException.class)
          .hasStackTraceContaining("PKIX path building failed");
    }
  }

  @Test
  void pkcs12TrustStoreWithPasswordWorks() throws Exception {
    Path store = ca.trustStore("store-pw");
    try (RedisConnection redis = connect("rediss://localhost:" + rightName.port(),
        RedisTls.of(store, "store-pw", true))) {
      roundTrip(redis);
    }
    try (RedisConnection wrongPassword = connect("rediss://localhost:" + rightName.port(),
        RedisTls.of(store, "not-the-store-pw", true))) {
      assertThatThrownBy(() -> wrongPassword.get(KEY)).isInstanceOf(RedisUnavailableException.class)
          .hasMessageContaining("cannot load trust store " + store).message().doesNotContain("not-the-store-pw");
    }
  }

  @Test
  void plainUrlWithTlsSettingsTurnsTlsOn() throws Exception {
    try (RedisConnection redis = connect("redis://localhost:" + rightName.port(),
        RedisTls.of(ca.authority(), null, true))) {
      roundTrip(redis);
    }
  }
}
