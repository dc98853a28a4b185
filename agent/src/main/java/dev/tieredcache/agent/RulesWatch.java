package dev.tieredcache.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code watch: true}: a daemon thread ({@code tiered-cache-watch}) that looks at the rules file every half second
 * and, when its content changed, reloads it with the same effect as attaching it again. An invalid new file is
 * reported and the running rules stay. Polling rather than a file-system watch service: it also sees a file
 * replaced through a symbolic link (a Kubernetes ConfigMap) or on a network file system.
 */
final class RulesWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RulesWatch.class);
  private static final long INTERVAL_MS = 500;

  private final String rulesFile;
  private final Thread thread;
  private volatile boolean running = true;
  private byte[] lastDigest;

  private RulesWatch(String rulesFile) {
    this.rulesFile = rulesFile;
    this.lastDigest = digest();
    this.thread = new Thread(this::watch, "tiered-cache-watch");
    thread.setDaemon(true);
  }

  static RulesWatch start(String rulesFile) {
    RulesWatch watch = new RulesWatch(rulesFile);
    watch.thread.start();
    LOG.info("watching {} for changes", rulesFile);
    return watch;
  }

  boolean watches(String file) {
    return rulesFile.equals(file);
  }

  private void watch() {
    while (running) {
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException stop) {
        return;
      }
      byte[] now = digest();
      if (now != null && !Arrays.equals(now, lastDigest)) {
        lastDigest = now;
        LOG.info("{} changed; loading it", rulesFile);
        try {
          RunningAgent.reload(rulesFile);
        } catch (Throwable failed) {
          LOG.error("could not reload " + rulesFile + "; the running rules stay", failed);
        }
      }
    }
  }

  /** The SHA-256 of the file's content, or {@code null} while it cannot be read (being replaced, say). */
  private byte[] digest() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(rulesFile)));
    } catch (IOException | NoSuchAlgorithmException unreadable) {
      return null;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    if (thread != Thread.currentThread()) {
      try {
        thread.join(2_000);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
