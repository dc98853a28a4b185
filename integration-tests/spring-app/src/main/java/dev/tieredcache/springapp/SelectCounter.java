package dev.tieredcache.springapp;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/** Counts the SQL selects Hibernate sends to H2: the calls that reach the database. */
public class SelectCounter implements StatementInspector {

  static final AtomicInteger SELECTS = new AtomicInteger();

  @Override
  public String inspect(String sql) {
    if (sql.trim().toLowerCase(Locale.ROOT).startsWith("select")) {
      SELECTS.incrementAndGet();
    }
    return sql;
  }
}
