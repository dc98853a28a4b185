package dev.tieredcache.it.redisapps;

import java.util.Objects;

/** The {@link Notice} the upstream returns. */
public final class PlainNotice implements Notice {

  private final String text;

  public PlainNotice(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlainNotice && ((PlainNotice) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(text);
  }

  @Override
  public String toString() {
    return "PlainNotice{" + text + "}";
  }
}
