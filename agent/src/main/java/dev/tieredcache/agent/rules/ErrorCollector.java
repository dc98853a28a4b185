package dev.tieredcache.agent.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Gathers every problem of one rules file, so that they are all reported at once. A node reached twice through a
 * YAML alias reports its problem once.
 */
final class ErrorCollector {

  private final String source;
  private final Set<RulesError> errors = new LinkedHashSet<>();

  ErrorCollector(String source) {
    this.source = source;
  }

  /** Records a problem at the start of {@code node}. */
  void at(Node node, String message) {
    at(node.getStartMark(), message);
  }

  /** Records a problem at a SnakeYAML mark (0-based there, 1-based in the error). */
  void at(Mark mark, String message) {
    if (mark == null) {
      at(1, 1, message);
    } else {
      at(mark.getLine() + 1, mark.getColumn() + 1, message);
    }
  }

  /** Records a problem at a 1-based position. */
  void at(int line, int column, String message) {
    errors.add(new RulesError(source, line, column, message));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  RulesException toException() {
    return new RulesException(new ArrayList<>(errors));
  }

  List<RulesError> list() {
    return new ArrayList<>(errors);
  }
}
