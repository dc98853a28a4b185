package dev.tieredcache.agent.rules;

import java.util.List;

/**
 * What {@link RuleTargetCheck} found: errors that make the rules file unusable, and warnings about what could not
 * be checked yet (a class not on the class path is checked when it loads). Immutable.
 */
public final class TargetCheckResult {

  private final List<RulesError> errors;
  private final List<RulesError> warnings;

  TargetCheckResult(List<RulesError> errors, List<RulesError> warnings) {
    this.errors = List.copyOf(errors);
    this.warnings = List.copyOf(warnings);
  }

  /** Problems that make a rule unusable, in file order. */
  public List<RulesError> errors() {
    return errors;
  }

  /** Checks that had to be left for later, in file order. */
  public List<RulesError> warnings() {
    return warnings;
  }

  /** True when there are no errors (there may be warnings). */
  public boolean isOk() {
    return errors.isEmpty();
  }

  /** A description for tests and logs; not a stable format. */
  @Override
  public String toString() {
    return "TargetCheckResult{errors=" + errors + ", warnings=" + warnings + "}";
  }
}
