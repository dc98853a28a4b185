package dev.tieredcache.it.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of {@code jdk.VirtualThreadPinned} events (threshold 0, with stack traces) inside a sample app: a
 * virtual thread that parks while it cannot leave its carrier. Java 17 has no such event (and no virtual threads);
 * the recording then records nothing. The app reports each event as one line for the test to inspect:
 *
 * <pre>
 * PINNED millis=&lt;duration&gt; thread=&lt;name&gt; reason=&lt;why&gt; blocking=&lt;what&gt; frames=&lt;type.method&gt;;...
 * </pre>
 *
 * <p>{@link #pinOnPurpose} makes one such event: the recording's own control, so that "no event" means that none
 * happened, not that none was recorded.
 */
public final class PinnedEvents implements AutoCloseable {

  /** The JFR event of a virtual thread that parked while pinned to its carrier (Java 21 and later). */
  public static final String EVENT = "jdk.VirtualThreadPinned";
  /** Most events printed one per line; the count covers all of them. */
  private static final int MAX_PRINTED = 300;

  private final Recording recording = new Recording();

  private PinnedEvents() {
    recording.enable(EVENT).withThreshold(Duration.ZERO).withStackTrace();
    recording.setToDisk(true);
  }

  /** Starts recording. */
  public static PinnedEvents start() {
    PinnedEvents events = new PinnedEvents();
    events.recording.start();
    return events;
  }

  /**
   * Parks a virtual thread while it is pinned, once: it initialises a class whose static initialiser sleeps (a
   * class initialiser pins its thread on every Java version). Blocks until that thread has ended.
   */
  public static void pinOnPurpose(ThreadKind kind) throws InterruptedException {
    Thread control = kind.start(PinnedOnPurpose::touch);
    control.join();
  }

  /**
   * Stops recording, dumps the events to {@code file} and reports them: {@code RESULT pinned.events=<n>} and one
   * {@code PINNED} line per event (the first {@value #MAX_PRINTED}).
   */
  public void stopAndReport(Path file) {
    recording.stop();
    List<RecordedEvent> events;
    try {
      recording.dump(file);
      events = RecordingFile.readAllEvents(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot dump or read the JFR recording " + file, e);
    }
    int count = 0;
    for (RecordedEvent event : events) {
      if (!event.getEventType().getName().equals(EVENT)) {
        continue;
      }
      if (count++ < MAX_PRINTED) {
        System.out.println(describe(event));
      }
    }
    Report.result("pinned.events", count);
    Report.result("pinned.recording", file.toAbsolutePath());
  }

  private static String describe(RecordedEvent event) {
    StringJoiner frames = new StringJoiner(";");
    if (event.getStackTrace() != null) {
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
      }
    }
    RecordedThread thread = event.getThread();
    // Java 24 and later say why (pinnedReason) and what blocked (blockingOperation)
    String reason = event.hasField("pinnedReason") ? event.getString("pinnedReason") : "?";
    String blocking = event.hasField("blockingOperation") ? event.getString("blockingOperation") : "?";
    return "PINNED millis=" + event.getDuration().toMillis() + " thread="
        + (thread == null ? "?" : thread.getJavaName()) + " reason=" + String.valueOf(reason).replace(' ', '_')
        + " blocking=" + String.valueOf(blocking).replace(' ', '_') + " frames=" + frames;
  }

  @Override
  public void close() {
    recording.close();
  }

  /** A class whose initialiser sleeps 20 ms: initialised on a virtual thread, it parks that thread pinned. */
  static final class PinnedOnPurpose {
    static {
      Report.pause(20);
    }

    static void touch() {
      // initialises the class
    }
  }
}
