package dev.tieredcache.examples;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** {@code tiered-cache-rules.schema.json}, the JSON Schema (draft-07) that editors check rules files with. */
final class RulesSchema {

  /** The schema file, beside the example files it describes. */
  static final Path FILE = Path.of("tiered-cache-rules.schema.json");

  private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
      .getSchema(text(), InputFormat.JSON);

  private RulesSchema() {}

  static String text() {
    try {
      return Files.readString(FILE, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the schema finds wrong in a rules file, one line each; empty when it is valid. */
  static List<String> problems(String yamlText) {
    List<Error> errors = SCHEMA.validate(YamlTree.of(yamlText));
    return errors.stream().map(Error::toString).collect(Collectors.toList());
  }
}
