package dev.tieredcache.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.agent.rules.targets.Catalog;
import dev.tieredcache.agent.rules.targets.Filter;
import dev.tieredcache.agent.rules.targets.Labelled;
import dev.tieredcache.agent.rules.targets.Owner;
import dev.tieredcache.agent.rules.targets.ProductRepository;
import dev.tieredcache.agent.rules.targets.SpecialLabelled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** Key text is the same in every JVM for equal values, and values without such a text are refused. */
class StableTextTest {

  private final TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));

  /** An enum whose toString() is not its name, as localised enums often are. */
  enum Colour {
    RED, GREEN;

    @Override
    public String toString() {
      return "colour " + name().toLowerCase();
    }
  }

  @Test
  void plainValuesAreWrittenWithToString() {
    assertThat(StableText.of(null)).isEqualTo("null");
    assertThat(StableText.of(true)).isEqualTo("true");
    assertThat(StableText.of('c')).isEqualTo("c");
    assertThat(StableText.of((byte) 1)).isEqualTo("1");
    assertThat(StableText.of((short) 2)).isEqualTo("2");
    assertThat(StableText.of(3)).isEqualTo("3");
    assertThat(StableText.of(4L)).isEqualTo("4");
    assertThat(StableText.of(1.5f)).isEqualTo("1.5");
    assertThat(StableText.of(2.5d)).isEqualTo("2.5");
    assertThat(StableText.of(new BigInteger("12345678901234567890"))).isEqualTo("12345678901234567890");
    assertThat(StableText.of(new BigDecimal("1.50"))).isEqualTo("1.50");
    assertThat(StableText.of(new StringBuilder("sb"))).isEqualTo("sb");
  }

  @Test
  void stringComesBackAsItself() {
    String s = new String("abc");
    assertThat(StableText.of(s)).isSameAs(s);
  }

  @Test
  void enumsAreWrittenByName() {
    assertThat(StableText.of(Colour.RED)).isEqualTo("RED");
    assertThat(StableText.of(TimeUnit.SECONDS)).isEqualTo("SECONDS");
  }

  @Test
  void valueTypesAreWrittenWithTheirToString() {
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(StableText.of(id)).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
    assertThat(StableText.of(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
    assertThat(StableText.of(Instant.ofEpochSecond(0))).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(StableText.of(Duration.ofSeconds(90))).isEqualTo("PT1M30S");
    assertThat(StableText.of(new Owner("ann", "eu"))).isEqualTo("ann@eu");
    assertThat(StableText.of(new SpecialLabelled())).isEqualTo("labelled");
  }

  @Test
  void datesAreEpochMillisAndClassesTheirName() {
    assertThat(StableText.of(new Date(1234L))).isEqualTo("1234");
    assertThat(StableText.of(String.class)).isEqualTo("java.lang.String");
  }

  @Test
  void arraysAndListsAreBracketedInOrder() {
    assertThat(StableText.of(new int[] {3, 1, 2})).isEqualTo("[3,1,2]");
    assertThat(StableText.of(new byte[0])).isEqualTo("[]");
    assertThat(StableText.of(new String[] {"b", null, "a"})).isEqualTo("[b,null,a]");
    assertThat(StableText.of(Arrays.asList(Colour.GREEN, Colour.RED))).isEqualTo("[GREEN,RED]");
    assertThat(StableText.of(new ArrayList<>(List.of(List.of(1, 2), List.of())))).isEqualTo("[[1,2],[]]");
  }

  @Test
  void setsAreSortedByText() {
    assertThat(StableText.of(new LinkedHashSet<>(List.of("b", "c", "a")))).isEqualTo("[a,b,c]");
    assertThat(StableText.of(EnumSet.of(Colour.RED, Colour.GREEN))).isEqualTo("[GREEN,RED]");
    assertThat(StableText.of(new HashSet<>(List.of(10, 9, 100)))).isEqualTo("[10,100,9]");
  }

  @Test
  void mapsAreSortedByKeyText() {
    Map<Object, Object> map = new HashMap<>();
    map.put("b", 2);
    map.put("a", List.of(1));
    map.put(Colour.RED, null);
    assertThat(StableText.of(map)).isEqualTo("{RED=null,a=[1],b=2}");
    assertThat(StableText.of(new TreeMap<>())).isEqualTo("{}");
  }

  @Test
  void optionalsShowWhetherTheyHoldAValue() {
    assertThat(StableText.of(Optional.of(Colour.GREEN))).isEqualTo("Optional[GREEN]");
    assertThat(StableText.of(Optional.empty())).isEqualTo("Optional.empty");
  }

  @Test
  void identityToStringIsRejected() {
    assertThatThrownBy(() -> StableText.of(new Filter("x")))
        .isInstanceOf(KeyRenderException.class)
        .hasMessage("a value of class dev.tieredcache.agent.rules.targets.Filter has no stable text form (it does not"
            + " override toString()); use a key template that names one of its properties, such as {0.id}");
    assertThatThrownBy(() -> StableText.of(List.of(new Object())))
        .isInstanceOf(KeyRenderException.class)
        .hasMessageContaining("java.lang.Object has no stable text form");
  }

  @Test
  void appendAddsToTheBuilder() {
    StringBuilder sb = new StringBuilder("k:");
    StableText.append(sb, List.of(1, "x"));
    assertThat(sb).hasToString("k:[1,x]");
  }

  @Test
  void declaredTypesWithAStableFormHaveNoReason() {
    for (Class<?> type : List.of(int.class, long[].class, String.class, Long.class, Colour.class, UUID.class,
        LocalDate.class, BigDecimal.class, Date.class, List.class, ArrayList.class, Map.class, HashMap.class,
        Optional.class, Object.class, CharSequence.class, ProductRepository.class, Labelled.class,
        SpecialLabelled.class, Owner[].class, Class.class)) {
      assertThat(StableText.unstableReason(describe(type))).as(type.getName()).isEmpty();
    }
  }

  @Test
  void concreteClassWithoutToStringHasAReason() {
    assertThat(StableText.unstableReason(describe(Filter.class)))
        .contains("dev.tieredcache.agent.rules.targets.Filter does not override toString()");
    assertThat(StableText.unstableReason(describe(Filter[].class)))
        .contains("dev.tieredcache.agent.rules.targets.Filter does not override toString()");
    assertThat(StableText.unstableReason(describe(Catalog.class))).isPresent();
  }

  private TypeDescription describe(Class<?> type) {
    if (type.isPrimitive() || type.getName().startsWith("java.")) {
      return TypeDescription.ForLoadedType.of(type);
    }
    return pool.describe(type.getName()).resolve();
  }
}
