package dev.tieredcache.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void columnsAreAlignedNumbersToTheRightAndTheLastColumnIsNotPadded() {
    TextTable table = new TextTable("RULE", "HITS", "NOTE")
        .row("price", "1042", "ok")
        .row("product-page", "7", "a longer note");
    assertThat(table.lines()).containsExactly(
        "RULE          HITS  NOTE",
        "price         1042  ok",
        "product-page     7  a longer note");
  }

  @Test
  void aTableWithoutRowsIsItsHeadings() {
    assertThat(new TextTable("PID", "MAIN").lines()).containsExactly("PID  MAIN");
  }

  @Test
  void aRowOfTheWrongWidthIsRefused() {
    assertThatThrownBy(() -> new TextTable("A", "B").row("1")).isInstanceOf(IllegalArgumentException.class);
  }
}
