package dev.tieredcache.agent.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger that writes through {@link AgentLog}. The libraries inside the agent (Jedis, its connection pool,
 * Caffeine, Byte Buddy) log their info and warnings at debug: what they report (a pooled connection that failed its
 * check while Redis is down, with a stack trace) the agent reports once in its own words (circuit breaker,
 * backplane), so at the default level only the agent's own lines appear.
 */
final class AgentLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  /** True for a library's logger: its info and warnings are written at debug. */
  private final boolean library;

  AgentLogger(String name) {
    this.name = name;
    this.library = !isAgentOwn(name);
  }

  /** The agent's own classes: {@code dev.tieredcache.*}, the runtime relocated into the agent jar included. */
  static boolean isAgentOwn(String name) {
    return name.startsWith("dev.tieredcache.")
        && (!name.startsWith("dev.tieredcache.shaded.") || name.startsWith("dev.tieredcache.shaded.runtime."));
  }

  private Level effective(Level level) {
    return library && (level == Level.WARN || level == Level.INFO) ? Level.DEBUG : level;
  }

  @Override public boolean isTraceEnabled() { return AgentLog.enabled(Level.TRACE); }
  @Override public boolean isDebugEnabled() { return AgentLog.enabled(Level.DEBUG); }
  @Override public boolean isInfoEnabled() { return AgentLog.enabled(effective(Level.INFO)); }
  @Override public boolean isWarnEnabled() { return AgentLog.enabled(effective(Level.WARN)); }
  @Override public boolean isErrorEnabled() { return AgentLog.enabled(Level.ERROR); }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
      Throwable error) {
    AgentLog.write(effective(level), MessageFormatter.basicArrayFormat(pattern, arguments), error);
  }
}
