package dev.tieredcache.runtime.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;

/**
 * How TLS connections to Redis are checked: which certificate authorities are trusted (a trust store, or the
 * JVM's default ones) and whether the server's certificate must name the host connected to. Host name
 * verification is on unless turned off. Immutable.
 *
 * <p>The trust store is a PKCS#12 or JKS key store, or a PEM file of CA certificates (the {@code ca.crt} a
 * {@code redis-server --tls-ca-cert-file} uses); the kind is recognised from the content.
 */
public final class RedisTls {

  /** TLS with the JVM's trusted authorities and host name verification. */
  public static final RedisTls DEFAULT = new RedisTls(null, null, true);

  private final Path trustStore;
  private final String trustStorePassword;
  private final boolean verifyHostname;

  private RedisTls(Path trustStore, String trustStorePassword, boolean verifyHostname) {
    this.trustStore = trustStore;
    this.trustStorePassword = trustStorePassword;
    this.verifyHostname = verifyHostname;
  }

  /**
   * TLS settings.
   *
   * @param trustStore the trusted authorities, or null for the JVM's defaults
   * @param trustStorePassword the key store's password, or null (a PEM file needs none)
   * @param verifyHostname whether the server's certificate must name the host (its SAN, or CN without SANs)
   */
  public static RedisTls of(Path trustStore, String trustStorePassword, boolean verifyHostname) {
    return new RedisTls(trustStore, trustStorePassword, verifyHostname);
  }

  public Optional<Path> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  public boolean verifiesHostname() {
    return verifyHostname;
  }

  /**
   * Turns TLS on in a Jedis client configuration: the socket factory of the trusted authorities and, with host name
   * verification, HTTPS-style endpoint identification on every socket.
   *
   * @throws IllegalStateException if the trust store cannot be read (the message names the file, never the
   *     password)
   */
  void applyTo(DefaultJedisClientConfig.Builder client) {
    SSLContext context = context();
    SSLParameters parameters = context.getDefaultSSLParameters();
    if (verifyHostname) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    client.ssl(true).sslSocketFactory(context.getSocketFactory()).sslParameters(parameters);
  }

  private SSLContext context() {
    try {
      if (trustStore == null) {
        return SSLContext.getDefault();
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(loadTrustStore());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS with trust store " + trustStore + ": " + e.getMessage(), e);
    }
  }

  private KeyStore loadTrustStore() throws GeneralSecurityException {
    byte[] content;
    try {
      content = Files.readAllBytes(trustStore);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("trust store " + trustStore + " does not exist");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read trust store " + trustStore + ": " + e.getMessage(), e);
    }
    if (new String(content, 0, Math.min(content.length, 64), StandardCharsets.US_ASCII).contains("-----BEGIN")) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content));
      if (certificates.isEmpty()) {
        throw new IllegalStateException("trust store " + trustStore + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      try {
        store.load(null, null);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      return store;
    }
    char[] password = trustStorePassword == null ? null : trustStorePassword.toCharArray();
    try {
      return KeyStore.getInstance(trustStore.toFile(), password);
    } catch (IOException e) {
      // the key store API reports a wrong password as an IOException; its message holds no password
      throw new IllegalStateException("cannot load trust store " + trustStore + " (PKCS#12, JKS or PEM): "
          + e.getMessage() + (password == null ? "; does it need trust-store-password?" : ""), e);
    }
  }

  /** Settings with the same file, password and verification are equal. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RedisTls)) {
      return false;
    }
    RedisTls other = (RedisTls) o;
    return verifyHostname == other.verifyHostname && Objects.equals(trustStore, other.trustStore)
        && Objects.equals(trustStorePassword, other.trustStorePassword);
  }

  @Override
  public int hashCode() {
    return Objects.hash(trustStore, trustStorePassword, verifyHostname);
  }

  /** Without the password. */
  @Override
  public String toString() {
    return "tls" + (trustStore == null ? "" : " trusting " + trustStore)
        + (verifyHostname ? "" : ", host name not verified");
  }
}
