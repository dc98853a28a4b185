package dev.tieredcache.runtime.testredis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * One real {@code redis-server} process on 127.0.0.1 and a free port, with nothing persisted: started as
 * {@code redis-server --port N --bind 127.0.0.1 --save "" --appendonly no --dir <its temp dir> [args]}, and
 * ready (it answered PING) when {@link #start()} returns. Tests can kill, pause, resume and restart it to play
 * out failures; {@link #close()} kills it and deletes its directory.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().password("s3cret").start()) {
 *   redis.pause();   // clients now time out
 *   redis.resume();
 *   redis.kill();    // clients now fail to connect
 *   redis.restart(); // same port, empty data set
 * }
 * }</pre>
 *
 * <p>{@link Builder#aclUser} starts it with an ACL user and the default user off; {@link Builder#tls} with TLS only
 * ({@code --port 0 --tls-port N}), the certificates of a {@link TestCertificates}. Its output goes to
 * {@link #logFile()}; an exception about a start that failed quotes the command line and
 * the last lines of that log. The process never outlives the JVM (see the package documentation). Methods are
 * thread-safe.
 */
public final class RedisServer implements AutoCloseable {

  /** The address every fixture process binds. */
  public static final String HOST = "127.0.0.1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 30;
  private static final String PORT_TAKEN = "Address already in use";

  private final ReentrantLock lock = new ReentrantLock();
  private final String label;
  private final Login login;
  private final int port;
  private final Path directory;
  private final Path logFile;
  private final List<String> command;
  private volatile Process process;
  private volatile boolean paused;
  private volatile boolean closed;

  private RedisServer(String label, Login login, int port, Path directory, Path logFile, List<String> command,
      Process process) {
    this.label = label;
    this.login = login;
    this.port = port;
    this.directory = directory;
    this.logFile = logFile;
    this.command = command;
    this.process = process;
  }

  /** Starts a server with the defaults: no password, no extra arguments. */
  public static RedisServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Always {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /** The port it listens on, the same across {@link #restart()}s. */
  public int port() {
    return port;
  }

  /** {@code host:port}, the form cluster and sentinel tooling uses. */
  public String address() {
    return HOST + ":" + port;
  }

  public HostAndPort hostAndPort() {
    return new HostAndPort(HOST, port);
  }

  /** {@code redis://127.0.0.1:N} ({@code rediss://} with TLS), without user or password. */
  public String url() {
    return (login.tls ? "rediss://" : "redis://") + address();
  }

  /** The password clients must send with AUTH, if it was started with one (of the ACL user, if there is one). */
  public Optional<String> password() {
    return Optional.ofNullable(login.password);
  }

  /** The ACL user clients must log in as, if it was started with one ({@link Builder#aclUser}). */
  public Optional<String> user() {
    return Optional.ofNullable(login.user);
  }

  /** A plain client of this server, logged in as its user with its password (if any); not for TLS servers. */
  public Jedis client(int timeoutMillis) {
    Jedis jedis = new Jedis(HOST, port, timeoutMillis);
    try {
      if (login.user != null) {
        jedis.auth(login.user, login.password);
      } else if (login.password != null) {
        jedis.auth(login.password);
      }
      return jedis;
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
  }

  /** The pid of the current process (a {@link #restart()} changes it; after {@link #kill()}, the killed one's). */
  public long pid() {
    return process.pid();
  }

  /** Its working directory ({@code --dir}), deleted by {@link #close()}. */
  public Path directory() {
    return directory;
  }

  /** Its stdout and stderr, across restarts; each start is preceded by a line naming the command. */
  public Path logFile() {
    return logFile;
  }

  /** The last lines of {@link #logFile()}, for failure messages. */
  public String logTail() {
    return tail(logFile, LOG_TAIL_LINES);
  }

  /** True from start until {@link #kill()} or {@link #close()}, and while {@link #pause() paused}. */
  public boolean isRunning() {
    Process current = process;
    return !closed && current != null && current.isAlive();
  }

  public boolean isPaused() {
    return paused;
  }

  /**
   * Kills the process with SIGKILL, as a crash would, and waits until it has exited. Does nothing when it is not
   * running.
   */
  public void kill() {
    lock.lock();
    try {
      Process current = process;
      if (current == null) {
        return;
      }
      if (current.isAlive()) {
        current.destroyForcibly();
        if (!ExternalCommand.waitFor(current, EXIT_TIMEOUT)) {
          throw new IllegalStateException(this + " did not exit within " + EXIT_TIMEOUT.toSeconds()
              + " s of SIGKILL");
        }
      }
      ProcessReaper.forget(current);
      paused = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the process with SIGSTOP: connections stay open and new ones are accepted by the kernel, but nothing is
   * answered, as with a server stuck in a long command or a network partition. Undo with {@link #resume()}.
   */
  public void pause() {
    lock.lock();
    try {
      requireRunning("pause");
      if (paused) {
        return;
      }
      signal("STOP");
      awaitStopped(true);
      paused = true;
    } finally {
      lock.unlock();
    }
  }

  /** Continues a {@link #pause() paused} process with SIGCONT; it then answers what queued up. */
  public void resume() {
    lock.lock();
    try {
      if (!paused) {
        return;
      }
      requireRunning("resume");
      signal("CONT");
      awaitStopped(false);
      paused = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts the server again on the same port, with the same arguments and directory, and waits until it answers
   * PING; a running server is {@link #kill() killed} first. The data set starts empty (nothing is persisted),
   * but a cluster node or sentinel reads back the configuration it rewrote in its directory.
   *
   * @throws IllegalStateException if it does not start, for example because another process took the port,
   *     naming the command line and quoting the log tail
   */
  public void restart() {
    lock.lock();
    try {
      requireOpen("restart");
      kill();
      process = launch(label, command, directory, logFile, port, login);
    } finally {
      lock.unlock();
    }
  }

  /** Resumes it if paused, kills it, and deletes its directory. Calling it again does nothing. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      try {
        resume();
      } catch (RuntimeException e) {
        // SIGKILL ends a stopped process as well
      }
      kill();
      closed = true;
      ProcessReaper.deleteRecursively(directory);
    } finally {
      lock.unlock();
    }
  }

  /** Closes every server, collecting failures into {@code failure} (or a new one) instead of stopping at one. */
  static RuntimeException closeAll(List<RedisServer> servers, RuntimeException failure) {
    RuntimeException collected = failure;
    for (RedisServer server : servers) {
      try {
        server.close();
      } catch (RuntimeException e) {
        if (collected == null) {
          collected = e;
        } else {
          collected.addSuppressed(e);
        }
      }
    }
    return collected;
  }

  /** Each server's log tail, titled with the server and its log file, for failure messages. */
  static String logTails(List<RedisServer> servers) {
    StringBuilder logs = new StringBuilder();
    for (RedisServer server : servers) {
      logs.append(ExternalCommand.indent("log of " + server + " (" + server.logFile() + "), last lines",
          server.logTail())).append('\n');
    }
    return logs.toString();
  }

  @Override
  public String toString() {
    Process current = process;
    return "redis " + label + " on " + address() + (current == null ? "" : " (pid " + current.pid() + ")");
  }

  private void requireOpen(String action) {
    if (closed) {
      throw new IllegalStateException("cannot " + action + " " + this + ": it is closed");
    }
  }

  private void requireRunning(String action) {
    requireOpen(action);
    if (!isRunning()) {
      throw new IllegalStateException("cannot " + action + " " + this + ": it is not running (restart() it first)");
    }
  }

  private void signal(String signal) {
    ExternalCommand.run(Duration.ofSeconds(5), Arrays.asList("kill", "-" + signal, Long.toString(pid())));
  }

  /** Waits until the kernel reports the process stopped (state T) or not; skipped where there is no /proc. */
  private void awaitStopped(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(pid()), "stat");
    if (!Files.isReadable(stat)) {
      return;
    }
    Polling.await((stopped ? "SIGSTOP to stop " : "SIGCONT to continue ") + this, Duration.ofSeconds(5),
        () -> isStopped(stat) == stopped, () -> "  " + stat + ": " + readQuietly(stat));
  }

  /** The state field of /proc/[pid]/stat follows the command name in parentheses: T is stopped by a signal. */
  private static boolean isStopped(Path stat) throws IOException {
    String text = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
    String afterName = text.substring(text.lastIndexOf(')') + 1).trim();
    return afterName.startsWith("T");
  }

  /**
   * Starts {@code command} and waits until the server answers PING.
   *
   * @throws PortTakenException if it exited because the port was taken
   * @throws IllegalStateException if it exited for another reason or did not answer in time
   */
  private static Process launch(String label, List<String> command, Path directory, Path logFile, int port,
      Login login) {
    appendToLog(logFile, "==== " + Instant.now() + " fixture starts: " + ExternalCommand.commandLine(command));
    Process process;
    try {
      process = new ProcessBuilder(command)
          .directory(directory.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + ExternalCommand.commandLine(command) + ": " + e.getMessage()
          + " (is redis-server 7 installed and on the PATH? e.g. apt-get install redis-server)", e);
    }
    ProcessReaper.register(process);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        ProcessReaper.forget(process);
        String log = tail(logFile, LOG_TAIL_LINES);
        String message = startFailure(label, port, "it exited with code " + process.exitValue(), command, logFile,
            log);
        throw log.contains(PORT_TAKEN) ? new PortTakenException(message) : new IllegalStateException(message);
      }
      if (answersPing(port, login)) {
        return process;
      }
      if (System.nanoTime() - deadline > 0) {
        process.destroyForcibly();
        ExternalCommand.waitFor(process, EXIT_TIMEOUT);
        ProcessReaper.forget(process);
        throw new IllegalStateException(startFailure(label, port, "it did not answer PING within "
            + START_TIMEOUT.toSeconds() + " s (killed it)", command, logFile, tail(logFile, LOG_TAIL_LINES)));
      }
      Polling.sleep(20);
    }
  }

  private static String startFailure(String label, int port, String reason, List<String> command, Path logFile,
      String logTail) {
    return "redis " + label + " did not start on " + HOST + ":" + port + ": " + reason + "\n"
        + "  command: " + ExternalCommand.commandLine(command) + "\n"
        + ExternalCommand.indent("log " + logFile + ", last lines", logTail);
  }

  /**
   * One PING over a socket (TLS without checking the certificate, when the server has TLS), after AUTH when there is
   * a password; true only for +PONG.
   */
  private static boolean answersPing(int port, Login login) {
    String password = login.password;
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(HOST, port), 200);
      plain.setSoTimeout(500);
      Socket socket = login.tls ? TestCertificates.trustingAnything().createSocket(plain, HOST, port, true) : plain;
      OutputStream out = socket.getOutputStream();
      if (login.user != null) {
        out.write(resp("AUTH", login.user, password));
      } else if (password != null) {
        out.write(resp("AUTH", password));
      }
      out.write(resp("PING"));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      if (password != null && !"+OK".equals(in.readLine())) {
        return false;
      }
      return "+PONG".equals(in.readLine());
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] resp(String... words) {
    StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
    for (String word : words) {
      byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
      request.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
    }
    return request.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendToLog(Path logFile, String line) {
    try {
      Files.write(logFile, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + logFile, e);
    }
  }

  static String tail(Path file, int lines) {
    String text = readQuietly(file);
    List<String> all = Arrays.asList(text.split("\n", -1));
    int end = all.size() > 0 && all.get(all.size() - 1).isEmpty() ? all.size() - 1 : all.size();
    return String.join("\n", all.subList(Math.max(0, end - lines), end));
  }

  private static String readQuietly(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** A start that failed because another process bound the port first; the builder retries on another one. */
  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  /** How the fixture itself logs in to probe the server. */
  private static final class Login {
    final String user;
    final String password;
    final boolean tls;

    Login(String user, String password, boolean tls) {
      this.user = user;
      this.password = password;
      this.tls = tls;
    }
  }

  /** Options of a {@link RedisServer}; {@link #start()} picks the port and starts it. */
  public static final class Builder {

    private String password;
    private String aclUser;
    private String aclPassword;
    private TestCertificates.ServerCertificate tls;
    private final List<String> args = new ArrayList<>();
    private String label = "server";
    private boolean clusterBusPort;
    private IntFunction<List<String>> portArgs = port -> Collections.emptyList();
    private List<String> sentinelConfig;

    private Builder() {}

    /** Requires clients to AUTH with this password ({@code --requirepass}). */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Creates the ACL user {@code user} with {@code password} and every right ({@code ~* &* +@all}), and turns the
     * default user off: every client must log in as {@code user}.
     */
    public Builder aclUser(String user, String password) {
      this.aclUser = Objects.requireNonNull(user, "user");
      this.aclPassword = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Serves TLS only ({@code --port 0 --tls-port N}) with {@code certificate}, signed by its CA; clients need no
     * certificate of their own ({@code --tls-auth-clients no}).
     */
    public Builder tls(TestCertificates.ServerCertificate certificate) {
      this.tls = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /** Appends arguments to the command line, for example {@code "--maxmemory", "10mb"}. */
    public Builder args(String... args) {
      this.args.addAll(Arrays.asList(args));
      return this;
    }

    /** Names the server in messages, logs and its directory, for example "master". */
    Builder label(String label) {
      this.label = label;
      return this;
    }

    /** Also needs port + 10000 free: the cluster bus. */
    Builder clusterBusPort() {
      this.clusterBusPort = true;
      return this;
    }

    /** Arguments that name the port chosen at start, such as a cluster node's config file. */
    Builder portArgs(IntFunction<List<String>> portArgs) {
      this.portArgs = portArgs;
      return this;
    }

    /**
     * Runs a sentinel: {@code redis-server <dir>/sentinel.conf --sentinel}, the file holding {@code port N} and
     * these lines. A sentinel must be able to rewrite its file, so it lives in the server's directory.
     */
    Builder sentinel(List<String> configLines) {
      this.sentinelConfig = new ArrayList<>(configLines);
      return this;
    }

    /**
     * Picks a free port, starts the process and waits until it answers PING (up to 10 s), retrying on another
     * port if the chosen one was taken in the meantime.
     *
     * @throws IllegalStateException if it does not start, naming the command line and quoting the log tail
     */
    public RedisServer start() {
      Path directory = ProcessReaper.newDirectory(label);
      Path logFile = directory.resolve("redis.log");
      try {
        PortTakenException portTaken = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
          int port = FreePorts.find(clusterBusPort);
          List<String> command = command(port, directory);
          try {
            Login login = aclUser != null ? new Login(aclUser, aclPassword, tls != null)
                : new Login(null, password, tls != null);
            Process process = launch(label, command, directory, logFile, port, login);
            return new RedisServer(label, login, port, directory, logFile, command, process);
          } catch (PortTakenException e) {
            portTaken = e;
          }
        }
        throw new IllegalStateException("ports kept being taken by other processes; " + START_ATTEMPTS
            + " attempts, the last: " + portTaken.getMessage(), portTaken);
      } catch (RuntimeException e) {
        try {
          ProcessReaper.deleteRecursively(directory);
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
    }

    private List<String> command(int port, Path directory) {
      List<String> command = new ArrayList<>();
      command.add("redis-server");
      if (sentinelConfig != null) {
        Path config = directory.resolve("sentinel.conf");
        List<String> lines = new ArrayList<>();
        lines.add("port " + port);
        lines.addAll(sentinelConfig);
        try {
          Files.write(config, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + config, e);
        }
        command.addAll(Arrays.asList(config.toString(), "--sentinel"));
      } else if (tls != null) {
        command.addAll(Arrays.asList("--port", "0", "--tls-port", Integer.toString(port),
            "--tls-cert-file", tls.certificate().toString(), "--tls-key-file", tls.key().toString(),
            "--tls-ca-cert-file", tls.authority().toString(), "--tls-auth-clients", "no"));
      } else {
        command.addAll(Arrays.asList("--port", Integer.toString(port)));
      }
      command.addAll(Arrays.asList("--bind", HOST, "--dir", directory.toString()));
      if (sentinelConfig == null) {
        command.addAll(Arrays.asList("--save", "", "--appendonly", "no"));
      }
      if (password != null) {
        command.addAll(Arrays.asList("--requirepass", password));
      }
      if (aclUser != null) {
        command.addAll(Arrays.asList("--user", aclUser, "on", ">" + aclPassword, "~*", "&*", "+@all",
            "--user", "default", "off"));
      }
      command.addAll(portArgs.apply(port));
      command.addAll(args);
      return Collections.unmodifiableList(command);
    }
  }
}
