package dev.tieredcache.agent.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code metrics.prometheus}: a port alone stays on the loopback address; host:port is taken as written. */
class PrometheusEndpointTest {

  @Test
  void aPortAloneIsServedOnTheLoopbackAddress() {
    PrometheusEndpoint endpoint = PrometheusEndpoint.of("9464");

    assertThat(endpoint.host()).isEqualTo("127.0.0.1");
    assertThat(endpoint.port()).isEqualTo(9464);
    assertThat(endpoint).hasToString("127.0.0.1:9464");
  }

  @Test
  void hostAndPortAreTakenAsWritten() {
    assertThat(PrometheusEndpoint.of("0.0.0.0:9100")).hasToString("0.0.0.0:9100");
    assertThat(PrometheusEndpoint.of("metrics.local:9464").host()).isEqualTo("metrics.local");
  }

  @Test
  void anIpv6AddressIsWrittenInBrackets() {
    PrometheusEndpoint endpoint = PrometheusEndpoint.of("[::1]:9464");

    assertThat(endpoint.host()).isEqualTo("::1");
    assertThat(endpoint).hasToString("[::1]:9464");
    assertThatThrownBy(() -> PrometheusEndpoint.of("::1:9464")).hasMessageContaining("in brackets");
  }

  @Test
  void aPortOutOfRangeOrNoPortIsRefused() {
    assertThatThrownBy(() -> PrometheusEndpoint.of("0")).hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> PrometheusEndpoint.of("localhost:70000")).hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> PrometheusEndpoint.of(":9464")).hasMessageContaining("names no host");
  }
}
