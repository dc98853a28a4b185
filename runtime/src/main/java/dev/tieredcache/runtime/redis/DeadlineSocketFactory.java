package dev.tieredcache.runtime.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Jedis's own socket factory (connect timeout, TLS, host name verification, all as configured), with each socket it
 * makes wrapped so that a read never waits past the deadline of the call it serves ({@link CallDeadline}): before
 * each read the socket's timeout is cut to what the call has left, and a call past its deadline fails at its next
 * read with a {@link SocketTimeoutException}. Jedis then marks the connection broken, and the pool drops it when it
 * is returned, as after any timeout. Reads outside a call with a deadline keep the timeout Jedis set. Writes are not
 * cut: a socket's writes have no timeout in Java; a server that stops reading fills the send buffer first.
 */
final class DeadlineSocketFactory implements JedisSocketFactory {

  private final JedisSocketFactory connecting;

  DeadlineSocketFactory(JedisSocketFactory connecting) {
    this.connecting = connecting;
  }

  @Override
  public Socket createSocket() {
    Socket connected = connecting.createSocket();
    try {
      return new DeadlineSocket(connected);
    } catch (IOException e) {
      try {
        connected.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw new redis.clients.jedis.exceptions.JedisConnectionException("cannot read the socket's settings", e);
    }
  }

  @Override
  public String toString() {
    return connecting.toString();
  }

  /**
   * A connected socket (plain or TLS) seen through the methods Jedis's {@code Connection} calls; the unconnected
   * socket this class extends is never opened.
   */
  static final class DeadlineSocket extends Socket {

    private final Socket socket;
    private final InputStream in;
    /** The timeout Jedis asked for (0: none). Only the thread using the connection touches these two. */
    private int configured;
    /** The timeout the socket has now. */
    private int applied;

    DeadlineSocket(Socket socket) throws IOException {
      this.socket = socket;
      this.configured = socket.getSoTimeout();
      this.applied = configured;
      this.in = new DeadlineInputStream(socket.getInputStream(), this);
    }

    /** Cuts the timeout of the next read to what the current call has left; throws when nothing is left. */
    void beforeRead() throws IOException {
      int left = CallDeadline.remainingMillis(socket);
      int timeout;
      if (left < 0) {
        timeout = configured;
      } else if (left == 0) {
        throw new SocketTimeoutException("the Redis call took longer than its timeout");
      } else {
        timeout = configured == 0 ? left : Math.min(configured, left);
      }
      if (timeout != applied) {
        socket.setSoTimeout(timeout);
        applied = timeout;
      }
    }

    @Override
    public InputStream getInputStream() {
      return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      return socket.getOutputStream();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
      socket.setSoTimeout(timeout);
      configured = timeout;
      applied = timeout;
    }

    @Override
    public int getSoTimeout() {
      return configured;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }

    @Override
    public boolean isConnected() {
      return socket.isConnected();
    }

    @Override
    public boolean isBound() {
      return socket.isBound();
    }

    @Override
    public boolean isClosed() {
      return socket.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
      return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
      return socket.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
      socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
      socket.shutdownOutput();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
      return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
      return socket.getLocalSocketAddress();
    }

    @Override
    public java.net.InetAddress getInetAddress() {
      return socket.getInetAddress();
    }

    @Override
    public java.net.InetAddress getLocalAddress() {
      return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
      return socket.getPort();
    }

    @Override
    public int getLocalPort() {
      return socket.getLocalPort();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
      socket.setKeepAlive(on);
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
      socket.setTcpNoDelay(on);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
      socket.setSoLinger(on, linger);
    }

    @Override
    public String toString() {
      return socket.toString();
    }
  }

  /** The socket's input, each read bounded by the current call's deadline. */
  private static final class DeadlineInputStream extends InputStream {

    private final InputStream in;
    private final DeadlineSocket socket;

    DeadlineInputStream(InputStream in, DeadlineSocket socket) {
      this.in = in;
      this.socket = socket;
    }

    @Override
    public int read() throws IOException {
      socket.beforeRead();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.beforeRead();
      return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
