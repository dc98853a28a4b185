package dev.tieredcache.agent.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text in aligned columns, headings first, for people to read and scripts to split on blanks: two spaces
 * between columns, numbers right-aligned, the last column never padded.
 */
final class TextTable {

  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... headings) {
    rows.add(headings.clone());
  }

  TextTable row(String... cells) {
    if (cells.length != rows.get(0).length) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + rows.get(0).length
          + " columns");
    }
    rows.add(cells.clone());
    return this;
  }

  /** One line per row, headings first. */
  List<String> lines() {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    boolean[] numeric = new boolean[columns];
    for (int c = 0; c < columns; c++) {
      numeric[c] = rows.size() > 1;
      for (int r = 0; r < rows.size(); r++) {
        widths[c] = Math.max(widths[c], rows.get(r)[c].length());
        if (r > 0 && !rows.get(r)[c].matches("-?[0-9]+")) {
          numeric[c] = false;
        }
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = row[c];
        String pad = " ".repeat(widths[c] - cell.length());
        if (c > 0) {
          line.append("  ");
        }
        if (numeric[c]) {
          line.append(pad).append(cell);
        } else {
          line.append(cell).append(c == columns - 1 ? "" : pad);
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
