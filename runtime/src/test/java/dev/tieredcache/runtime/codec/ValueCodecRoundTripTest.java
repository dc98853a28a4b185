package dev.tieredcache.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.codec.fixtures.Catalog;
import dev.tieredcache.runtime.codec.fixtures.Category;
import dev.tieredcache.runtime.codec.fixtures.Product;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Values of every supported kind come back equal, and as the same kind of collection. Records: see
 * {@link ClassShapeChangeTest}, which compiles them at test time since sources here target Java 11. */
class ValueCodecRoundTripTest {

  /** A declared type with generic arguments, as {@code Method.getGenericReturnType()} gives it. */
  abstract static class TypeOf<T> {
    Type type() {
      return ((java.lang.reflect.ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
    }
  }

  private static Object roundTrip(Type declared, Object value) {
    ValueCodec codec = ValueCodec.forType(declared, List.of(), ValueCodecRoundTripTest.class.getClassLoader());
    return codec.decode(codec.encode(value));
  }

  private static Catalog catalog() {
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      products.add(Product.sample(i));
    }
    Map<String, List<Product>> bySection = new LinkedHashMap<>();
    bySection.put("front", List.of(products.get(0), products.get(1)));
    bySection.put("back", new ArrayList<>(products.subList(2, 5)));
    return new Catalog("spring", products, bySection, new Product[] {products.get(3), null},
        Optional.of(products.get(4)), LocalDate.of(2025, 3, 1));
  }

  @Test
  void pojoWithoutSerializableOrNoArgConstructorRoundTrips() {
    Product p = Product.sample(7);
    assertThat(roundTrip(Product.class, p)).isEqualTo(p).isNotSameAs(p);
  }

  @Test
  void nestedDtoListsMapsArraysAndOptionalsRoundTrip() {
    Catalog c = catalog();
    assertThat(roundTrip(Catalog.class, c)).isEqualTo(c);
  }

  @Test
  void listOfProductsIsAllowedByTheReturnTypesTypeArgument() {
    List<Product> products = catalog().products();
    assertThat(roundTrip(new TypeOf<List<Product>>() {}.type(), products)).isEqualTo(products);
  }

  @Test
  void listOfMapsWithOnlyJdkValuesRoundTrips() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", 42L);
    row.put("name", "Ada");
    row.put("balance", new BigDecimal("1234.5600"));
    row.put("big", new BigInteger("123456789012345678901234567890"));
    row.put("seen", Instant.parse("2025-01-02T03:04:05.678Z"));
    row.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
    row.put("flags", List.of(true, false));
    row.put("nested", Map.of("k", 1));
    row.put("ratio", 0.25d);
    row.put("initial", 'A');
    row.put("missing", null);
    List<Map<String, Object>> rows = List.of(row, new HashMap<>(Map.of("id", 43L)));

    Object decoded = roundTrip(new TypeOf<List<Map<String, Object>>>() {}.type(), rows);

    assertThat(decoded).isEqualTo(rows);
    assertThat(((List<?>) decoded).get(0)).isInstanceOf(LinkedHashMap.class);
    assertThat(new ArrayList<>(((Map<?, ?>) ((List<?>) decoded).get(0)).keySet())).isEqualTo(new ArrayList<>(row.keySet()));
  }

  @Test
  void immutableCollectionsRoundTripAndStayImmutable() {
    List<Object> values = Arrays.asList(List.of(), List.of("a"), List.of("a", "b", "c"), List.of(1, 2, 3, 4).subList(1, 3),
        Set.of(), Set.of("x"), Set.of("x", "y", "z"), Map.of(), Map.of("k", "v"), Map.of("k1", 1, "k2", 2, "k3", 3));
    for (Object value : values) {
      Object decoded = roundTrip(Object.class, value);
      assertThat(decoded).as("%s", value.getClass()).isEqualTo(value);
      assertThatThrownBy(() -> mutate(decoded)).as("%s", value.getClass())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void unmodifiableWrappersRoundTripAndStayUnmodifiable() {
    List<Object> values = Arrays.asList(
        Collections.unmodifiableList(new ArrayList<>(Arrays.asList("a", null, "c"))),
        Collections.unmodifiableList(new LinkedList<>(Arrays.asList("a", "b"))),
        Collections.unmodifiableCollection(new ArrayList<>(Arrays.asList(1, 2))),
        Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList("z", "a", "m"))),
        Collections.unmodifiableSortedSet(new TreeSet<>(Arrays.asList("z", "a"))),
        Collections.unmodifiableNavigableSet(new TreeSet<>(Arrays.asList(3, 1, 2))),
        Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("a", 1))),
        Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("b", 2, "a", 1))),
        Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of(2, "b", 1, "a"))),
        Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(),
        Collections.singletonList("one"), Collections.singleton("one"), Collections.singletonMap("k", "v"));
    for (Object value : values) {
      Object decoded = roundTrip(Object.class, value);
      assertThat(contents(decoded)).as("%s", value.getClass()).isEqualTo(contents(value));
      assertThat(decoded.getClass()).as("%s", value.getClass()).isEqualTo(value.getClass());
      assertThatThrownBy(() -> mutate(decoded)).as("%s", value.getClass())
          .isInstanceOf(UnsupportedOperationException.class);
    }
    Object set = roundTrip(Object.class, Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList("z", "a", "m"))));
    assertThat(new ArrayList<Object>((Set<?>) set)).containsExactly("z", "a", "m");
  }

  @Test
  void arraysAsListRoundTripsAsAFixedSizeList() {
    List<String> value = Arrays.asList("a", null, "c");
    Object decoded = roundTrip(Object.class, value);
    assertThat(decoded).isEqualTo(value).hasSameClassAs(value);
  }

  @Test
  @SuppressWarnings("unchecked")
  void streamToListWithNullsRoundTripsAsAnUnmodifiableList() throws Exception {
    java.lang.reflect.Method toList;
    try {
      toList = Stream.class.getMethod("toList");
    } catch (NoSuchMethodException beforeJava16) {
      return;
    }
    List<String> value = (List<String>) toList.invoke(Stream.of("a", null, "c"));
    Object decoded = roundTrip(Object.class, value);
    assertThat(decoded).isEqualTo(value);
    assertThatThrownBy(() -> mutate(decoded)).isInstanceOf(UnsupportedOperationException.class);
  }

  /** What equals compares; a plain Collection (neither List nor Set) has identity equals, so compare elements. */
  private static Object contents(Object collection) {
    if (collection instanceof List || collection instanceof Set || collection instanceof Map) {
      return collection;
    }
    return new ArrayList<Object>((Collection<?>) collection);
  }

  @SuppressWarnings("unchecked")
  private static void mutate(Object collection) {
    if (collection instanceof Map) {
      ((Map<Object, Object>) collection).put("new", "new");
    } else {
      ((Collection<Object>) collection).add("new");
    }
  }

  @Test
  void mutableCollectionsRoundTripAsTheSameClass() {
    List<Object> values = Arrays.asList(new ArrayList<>(List.of(1, 2)), new LinkedList<>(List.of("a")),
        new HashSet<>(Set.of("a", "b")), new LinkedHashSet<>(List.of("c", "a", "b")), new TreeSet<>(Set.of(3, 1)),
        new HashMap<>(Map.of("a", 1)), new LinkedHashMap<>(Map.of("b", 2)), new TreeMap<>(Map.of("z", 1, "a", 2)));
    for (Object value : values) {
      Object decoded = roundTrip(Object.class, value);
      assertThat(decoded).as("%s", value.getClass()).isEqualTo(value).hasSameClassAs(value);
    }
    ArrayDeque<String> deque = new ArrayDeque<>(List.of("x", "y"));
    assertThat(new ArrayList<Object>((ArrayDeque<?>) roundTrip(Object.class, deque))).containsExactly("x", "y");
  }

  @Test
  void enumsIncludingConstantsWithBodiesRoundTrip() {
    for (Category c : Category.values()) {
      assertThat(roundTrip(Category.class, c)).isSameAs(c);
    }
    assertThat(roundTrip(new TypeOf<List<Category>>() {}.type(), List.of(Category.GAMES, Category.TOYS)))
        .isEqualTo(List.of(Category.GAMES, Category.TOYS));
  }

  @Test
  void optionalsRoundTrip() {
    Type optionalOfProduct = new TypeOf<Optional<Product>>() {}.type();
    assertThat(roundTrip(optionalOfProduct, Optional.of(Product.sample(1)))).isEqualTo(Optional.of(Product.sample(1)));
    assertThat(roundTrip(optionalOfProduct, Optional.empty())).isEqualTo(Optional.empty());
  }

  @Test
  void javaTimeValuesRoundTrip() {
    List<Object> values = Arrays.asList(Instant.parse("2025-06-01T10:15:30.123456789Z"), LocalDate.of(2024, 2, 29),
        LocalTime.of(23, 59, 1, 5), LocalDateTime.of(2025, 1, 1, 0, 0),
        ZonedDateTime.of(2025, 3, 30, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
        OffsetDateTime.of(2025, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-5)), Duration.ofMillis(1500),
        Period.of(1, 2, 3), Year.of(2025), YearMonth.of(2025, 12), MonthDay.of(2, 29), ZoneId.of("Asia/Tokyo"),
        ZoneOffset.UTC, DayOfWeek.FRIDAY);
    for (Object value : values) {
      assertThat(roundTrip(Object.class, value)).as("%s", value.getClass()).isEqualTo(value);
    }
  }

  @Test
  void nullRoundTripsForAnyReferenceType() {
    assertThat(roundTrip(Product.class, null)).isNull();
    assertThat(roundTrip(new TypeOf<List<Product>>() {}.type(), null)).isNull();
  }

  @Test
  void boxesPrimitivesAndArraysRoundTrip() {
    assertThat(roundTrip(int.class, 42)).isEqualTo(42);
    assertThat(roundTrip(long.class, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    assertThat(roundTrip(Boolean.class, Boolean.TRUE)).isEqualTo(true);
    assertThat(roundTrip(String.class, "")).isEqualTo("");
    assertThat(roundTrip(UUID.class, new UUID(1, 2))).isEqualTo(new UUID(1, 2));
    assertThat((byte[]) roundTrip(byte[].class, new byte[] {1, -2, 3})).containsExactly(1, -2, 3);
    assertThat((int[]) roundTrip(int[].class, new int[] {Integer.MIN_VALUE, 0, 7})).containsExactly(Integer.MIN_VALUE, 0, 7);
    assertThat((long[]) roundTrip(long[].class, new long[] {1L << 40})).containsExactly(1L << 40);
    assertThat((double[]) roundTrip(double[].class, new double[] {0.5, Double.NaN})).containsExactly(0.5, Double.NaN);
    assertThat((boolean[]) roundTrip(boolean[].class, new boolean[] {true, false})).containsExactly(true, false);
    assertThat((char[]) roundTrip(char[].class, "h\u00e9".toCharArray())).containsExactly('h', '\u00e9');
    assertThat((String[]) roundTrip(String[].class, new String[] {"a", null})).containsExactly("a", null);
    assertThat((Product[][]) roundTrip(Product[][].class, new Product[][] {{Product.sample(1)}, {}}))
        .isDeepEqualTo(new Product[][] {{Product.sample(1)}, {}});
    assertThat((Object[]) roundTrip(Object[].class, new Object[] {"a", 1, null, List.of(2)}))
        .containsExactly("a", 1, null, List.of(2));
    String longText = "\u00e9".repeat(100_000);
    assertThat(roundTrip(String.class, longText)).isEqualTo(longText);
  }

  @Test
  void primitiveReturnTypeRefusesNull() {
    ValueCodec ints = ValueCodec.forType(int.class, List.of(), null);
    byte[] nullPayload = ValueCodec.forType(Integer.class, List.of(), null).encode(null);
    assertThatThrownBy(() -> ints.decode(nullPayload)).isInstanceOf(CodecException.class);
  }

  @Test
  void oneCodecServesManyThreadsAtOnce() throws Exception {
    ValueCodec codec = ValueCodec.forType(Catalog.class, List.of(), getClass().getClassLoader());
    Catalog c = catalog();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 1_000; i++) {
            if (c.equals(codec.decode(codec.encode(c)))) {
              ok++;
            }
          }
          return ok;
        }));
      }
      for (Future<Integer> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(1_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cyclicGraphFailsToEncodeWithCodecException() {
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    ValueCodec codec = ValueCodec.forType(Object.class, List.of(), null);
    assertThatThrownBy(() -> codec.encode(cyclic)).isInstanceOf(CodecException.class);
  }
}
