package dev.tieredcache.agent.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that writes through {@link AgentLog}. */
final class AgentLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  AgentLogger(String name) {
    this.name = name;
  }

  @Override public boolean isTraceEnabled() { return AgentLog.enabled(Level.TRACE); }
  @Override public boolean isDebugEnabled() { return AgentLog.enabled(Level.DEBUG); }
  @Override public boolean isInfoEnabled() { return AgentLog.enabled(Level.INFO); }
  @Override public boolean isWarnEnabled() { return AgentLog.enabled(Level.WARN); }
  @Override public boolean isErrorEnabled() { return AgentLog.enabled(Level.ERROR); }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
      Throwable error) {
    AgentLog.write(level, MessageFormatter.basicArrayFormat(pattern, arguments), error);
  }
}
