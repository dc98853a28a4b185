package dev.tieredcache.runtime.testredis;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A throw-away certificate authority made with {@code openssl} in a directory of the caller's (a JUnit temp dir),
 * and server certificates it signs for chosen names, for {@link RedisServer.Builder#tls}. Keys are P-256, valid for
 * two days.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.create(tempDir);
 * RedisServer redis = RedisServer.builder().tls(ca.server("right", "DNS:localhost", "IP:127.0.0.1")).start();
 * // clients trust ca.authority() (PEM) or ca.trustStore("pw") (PKCS#12)
 * }</pre>
 */
public final class TestCertificates {

  private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

  private final Path directory;
  private final Path authority;
  private final Path authorityKey;

  private TestCertificates(Path directory, Path authority, Path authorityKey) {
    this.directory = directory;
    this.authority = authority;
    this.authorityKey = authorityKey;
  }

  /** Makes a new CA in {@code directory} (files {@code ca.crt}, {@code ca.key}). */
  public static TestCertificates create(Path directory) {
    Path crt = directory.resolve("ca.crt");
    Path key = directory.resolve("ca.key");
    ExternalCommand.run(OPENSSL_TIMEOUT, Arrays.asList("openssl", "req", "-x509", "-new", "-nodes",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-keyout", key.toString(), "-out", crt.toString(),
        "-days", "2", "-subj", "/CN=tiered-cache test CA " + directory.getFileName(),
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    return new TestCertificates(directory, crt, key);
  }

  /** The CA certificate, PEM: what {@code --tls-ca-cert-file} and a client's trust store name. */
  public Path authority() {
    return authority;
  }

  /**
   * A server certificate signed by this CA, with common name the first of {@code subjectAltNames} (without its
   * {@code DNS:} or {@code IP:}) and those subject alternative names.
   *
   * @param name a file name stem, unique within this CA
   * @param subjectAltNames like {@code "DNS:localhost"}, {@code "IP:127.0.0.1"}
   */
  public ServerCertificate server(String name, String... subjectAltNames) {
    Path key = directory.resolve(name + ".key");
    Path csr = directory.resolve(name + ".csr");
    Path crt = directory.resolve(name + ".crt");
    Path extensions = directory.resolve(name + ".ext");
    String commonName = subjectAltNames[0].substring(subjectAltNames[0].indexOf(':') + 1);
    try {
      Files.write(extensions, Arrays.asList("basicConstraints=CA:FALSE", "keyUsage=digitalSignature,keyAgreement",
          "extendedKeyUsage=serverAuth", "subjectAltName=" + String.join(",", subjectAltNames)),
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExternalCommand.run(OPENSSL_TIMEOUT, Arrays.asList("openssl", "req", "-new", "-nodes", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:prime256v1", "-keyout", key.toString(), "-out", csr.toString(),
        "-subj", "/CN=" + commonName));
    ExternalCommand.run(OPENSSL_TIMEOUT, Arrays.asList("openssl", "x509", "-req", "-in", csr.toString(),
        "-CA", authority.toString(), "-CAkey", authorityKey.toString(), "-CAcreateserial", "-out", crt.toString(),
        "-days", "2", "-extfile", extensions.toString()));
    return new ServerCertificate(crt, key, authority);
  }

  /** The CA certificate in a PKCS#12 trust store protected by {@code password}, written next to it. */
  public Path trustStore(String password) {
    Path store = directory.resolve("trust.p12");
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
          .generateCertificates(Files.newInputStream(authority)));
      keyStore.setCertificateEntry("ca", certificates.get(0));
      try (OutputStream out = Files.newOutputStream(store)) {
        keyStore.store(out, password.toCharArray());
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write a PKCS#12 trust store " + store, e);
    }
  }

  /** A socket factory that accepts any certificate: only for the fixture's own readiness probe. */
  static SSLSocketFactory trustingAnything() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server's certificate and key (PEM files), and the CA certificate that signed it. */
  public static final class ServerCertificate {
    private final Path certificate;
    private final Path key;
    private final Path authority;

    ServerCertificate(Path certificate, Path key, Path authority) {
      this.certificate = certificate;
      this.key = key;
      this.authority = authority;
    }

    public Path certificate() {
      return certificate;
    }

    public Path key() {
      return key;
    }

    public Path authority() {
      return authority;
    }
  }
}
