package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An allow-types entry broader than an application package never reaches the codec. */
class AllowTypesEntryTest {

  @ParameterizedTest
  @ValueSource(strings = {"com.*", "org.*", "java.*", "java.util.*", "javax.management.*", "jakarta.*", "sun.misc.*",
      "jdk.internal.*", "com.sun.rowset.*", "java.lang.Runtime", "javax.management.BadAttributeValueExpException",
      "org.apache.*", "org.apache.commons.collections.functors.*", "org.springframework.beans.*", "com.google.*",
      "acme.*", "*", ".*", "com.acme.*.dto"})
  void broadOrMalformedEntryIsRefusedByTheCodecItself(String entry) {
    assertThat(AllowTypesEntry.problem(entry)).isPresent();
    assertThatThrownBy(() -> ValueCodec.forType(Object.class, List.of(entry), getClass().getClassLoader()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("com.acme.dto.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"com.acme.*", "com.acme.dto.*", "com.acme.dto.Product", "com.acme.Outer$Inner",
      "org.apache.commons.lang3.tuple.ImmutablePair", "io.example.shop.*"})
  void applicationPackagesAndExactLibraryClassesAreAllowed(String entry) {
    assertThat(AllowTypesEntry.problem(entry)).isEmpty();
  }
}
