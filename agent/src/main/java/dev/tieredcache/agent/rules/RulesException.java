package dev.tieredcache.agent.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A rules file that cannot be used, with every problem found in it, so that a user fixes them all in one go.
 */
public final class RulesException extends Exception {

  private static final long serialVersionUID = 1L;

  /** In file order; an {@code ArrayList} so that the exception stays serializable. */
  private final ArrayList<RulesError> errors;

  /**
   * Creates the exception.
   *
   * @param errors at least one error; they are kept in file order (line, then column), ties in the order given
   */
  public RulesException(List<RulesError> errors) {
    super(describe(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a RulesException needs at least one error");
    }
    this.errors = inFileOrder(errors);
  }

  /** Every error, in file order. */
  public List<RulesError> errors() {
    return List.copyOf(errors);
  }

  private static String describe(List<RulesError> errors) {
    return inFileOrder(errors).stream().map(RulesError::toString).collect(Collectors.joining("\n"));
  }

  private static ArrayList<RulesError> inFileOrder(List<RulesError> errors) {
    ArrayList<RulesError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparingInt(RulesError::line).thenComparingInt(RulesError::column));
    return sorted;
  }
}
