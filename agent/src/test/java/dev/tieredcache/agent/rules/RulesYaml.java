package dev.tieredcache.agent.rules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds rules files for tests and reads them as {@code rules.yaml} with a fixed environment. */
final class RulesYaml {

  static final Map<String, String> ENV = Map.of("REDIS_HOST", "cache.internal", "TTL", "7s", "EMPTY", "");

  private RulesYaml() {}

  /** The lines joined with newlines, as a file would hold them. */
  static String yaml(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  static RulesFile parse(String... lines) throws RulesException {
    return RulesParser.parse("rules.yaml", yaml(lines), ENV::get);
  }

  /** The errors the file gives, each as {@code rules.yaml:line:column: message}. */
  static List<String> errors(String... lines) {
    RulesException[] thrown = new RulesException[1];
    assertThatThrownBy(() -> {
      try {
        parse(lines);
      } catch (RulesException e) {
        thrown[0] = e;
        throw e;
      }
    }).isInstanceOf(RulesException.class);
    return thrown[0].errors().stream().map(RulesError::toString).collect(Collectors.toList());
  }
}
