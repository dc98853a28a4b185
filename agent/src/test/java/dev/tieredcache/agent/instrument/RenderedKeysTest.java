package dev.tieredcache.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.agent.rules.KeyTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RenderedKeysTest {

  private enum Region { EU, US }

  @Test
  void remembersOnlyArgumentsWhoseKeyCannotChange() {
    assertThat(RenderedKeys.remembers(42L)).isTrue();
    assertThat(RenderedKeys.remembers(7)).isTrue();
    assertThat(RenderedKeys.remembers("sku-1")).isTrue();
    assertThat(RenderedKeys.remembers(true)).isTrue();
    assertThat(RenderedKeys.remembers('c')).isTrue();
    assertThat(RenderedKeys.remembers(Region.EU)).isTrue();
    assertThat(RenderedKeys.remembers(TimeUnit.SECONDS)).as("an enum with constant bodies").isTrue();
    assertThat(RenderedKeys.remembers((Object) null)).isFalse();
    assertThat(RenderedKeys.remembers(new ArrayList<>(List.of(1)))).as("mutable").isFalse();
    assertThat(RenderedKeys.remembers(new StringBuilder("x"))).as("mutable").isFalse();
    assertThat(RenderedKeys.remembers(new Object[] {1L, "a", Region.US})).isTrue();
    assertThat(RenderedKeys.remembers(new Object[] {1L, null})).isFalse();
    assertThat(RenderedKeys.remembers(new Object[] {1L, new int[] {1}})).isFalse();
  }

  @Test
  void aRememberedKeyIsFoundByAnEqualArgumentAndNeverByAnother() {
    RenderedKeys keys = new RenderedKeys();
    keys.put(1000L, "stock:1000");
    assertThat(keys.get(Long.valueOf(1000L))).isEqualTo("stock:1000");
    assertThat(keys.get(1000)).as("an Integer equal in value is not the same argument").isNull();
    assertThat(keys.get(1001L)).isNull();
    keys.put("a:b", "user:a\\:b");
    assertThat(keys.get(new String("a:b".toCharArray()))).isEqualTo("user:a\\:b");
  }

  @Test
  void argumentsOfSeveralAreComparedOneByOne() {
    RenderedKeys keys = new RenderedKeys();
    keys.put(new Object[] {"a", 3, Region.EU}, "k1");
    assertThat(keys.get(new Object[] {"a", 3, Region.EU})).isEqualTo("k1");
    assertThat(keys.get(new Object[] {"a", 3, Region.US})).isNull();
    assertThat(keys.get(new Object[] {"a", 3})).isNull();
    assertThat(keys.get((Object) "a")).as("a one-argument lookup never takes a slot of several").isNull();
  }

  @Test
  void argumentsPassedOneByOneFindWhatTheArrayRemembered() {
    RenderedKeys keys = new RenderedKeys();
    keys.put(new Object[] {"a", 3, Region.EU}, "k3");
    keys.put(new Object[] {"b", 4L}, "k2");
    assertThat(objects(keys, 3, "a", 3, Region.EU)).isEqualTo("k3");
    assertThat(objects(keys, 3, new String("a".toCharArray()), Integer.valueOf(3), Region.EU)).isEqualTo("k3");
    assertThat(objects(keys, 3, "a", 3, Region.US)).isNull();
    assertThat(objects(keys, 2, "a", 3, null)).as("the first two of a remembered three").isNull();
    assertThat(objects(keys, 2, "b", 4L, null)).isEqualTo("k2");
    assertThat(objects(keys, 2, "b", 4, null)).as("an Integer is not the Long remembered").isNull();
    assertThat(objects(keys, 3, "b", 4L, Region.EU)).isNull();
  }

  @Test
  void anIntegralArgumentPassedWithoutItsBoxFindsWhatItsBoxRemembered() {
    RenderedKeys keys = new RenderedKeys();
    keys.put(5_000_000_005L, "k-long");
    keys.put(-40_000, "k-int");
    keys.put((short) -3, "k-short");
    assertThat(keys.get(5_000_000_005L, Long.class)).isEqualTo("k-long");
    assertThat(keys.get(5_000_000_006L, Long.class)).isNull();
    assertThat(keys.get(-40_000L, Integer.class)).isEqualTo("k-int");
    assertThat(keys.get(-40_000L, Long.class)).as("the same value, boxed as another type").isNull();
    assertThat(keys.get(-3L, Short.class)).isEqualTo("k-short");
    keys.put("s", "k-string");
    assertThat(keys.get(0L, Long.class)).isNull();
  }

  @Test
  void integersPassedAsBitsFindWhatTheirBoxesRemembered() {
    RenderedKeys keys = new RenderedKeys();
    keys.put(new Object[] {"b", 5_000_000_005L}, "k-long");
    keys.put(new Object[] {-40_000, "c", Region.US}, "k-int");
    Class<?>[] stringThenLong = {null, Long.class};
    assertThat(keys.get(stringThenLong, 2, "b", 0, null, 5_000_000_005L, null, 0)).isEqualTo("k-long");
    assertThat(keys.get(stringThenLong, 2, "b", 0, null, 5_000_000_006L, null, 0)).isNull();
    Class<?>[] intFirst = {Integer.class, null, null};
    assertThat(keys.get(intFirst, 3, null, -40_000, "c", 0, Region.US, 0)).isEqualTo("k-int");
    assertThat(keys.get(new Class<?>[] {Long.class, null, null}, 3, null, -40_000, "c", 0, Region.US, 0))
        .as("the same value, boxed as another type").isNull();
  }

  /** {@link RenderedKeys#get(Class[], int, Object, long, Object, long, Object, long)} with every argument an object. */
  private static String objects(RenderedKeys keys, int count, Object first, Object second, Object third) {
    return keys.get(new Class<?>[count], count, first, 0, second, 0, third, 0);
  }

  @Test
  void aNullArgumentIsNeverRememberedAndLooksUpNothing() {
    RenderedKeys keys = new RenderedKeys();
    assertThat(keys.get(new Object[] {null, 2})).isNull();
    assertThat(objects(keys, 2, null, 2, null)).isNull();
    assertThat(objects(keys, 3, "a", 2, null)).isNull();
  }

  @Test
  void aNewerArgumentOnTheSameSlotReplacesTheOlderOne() {
    RenderedKeys keys = new RenderedKeys();
    // Integer hash codes are their values: 0 and 128 spread to the same of 128 slots
    keys.put(0, "k0");
    keys.put(128, "k128");
    assertThat(keys.get(128)).isEqualTo("k128");
    assertThat(keys.get(0)).isNull();
  }

  @Test
  void rememberedKeysEqualWhatTheTemplateRendersForEveryShape() {
    KeyTemplate template = KeyTemplate.parse("offer:{0}:{1}:{2}");
    RenderedKeys keys = new RenderedKeys();
    Object[][] calls = {
        {"a:b", 1, Region.EU}, {"a", "b:1", Region.EU}, {"a:b", 1, Region.US}, {"x", 2L, Region.EU},
        {"x", 2, Region.EU}, {"a:b", 1, Region.EU}};
    for (int round = 0; round < 2; round++) {
      for (Object[] call : calls) {
        String known = keys.get(call);
        String rendered = template.render(call);
        if (known != null) {
          assertThat(known).as("remembered key of %s", List.of(call)).isEqualTo(rendered);
        }
        keys.put(call, rendered);
      }
    }
    assertThat(keys.get(new Object[] {"a:b", 1, Region.EU})).isEqualTo(template.render(new Object[] {"a:b", 1,
        Region.EU}));
  }

  @Test
  void aTemplateWithoutPlaceholdersRendersOneConstantKey() {
    KeyTemplate template = KeyTemplate.allArguments(0);
    assertThat(template.render(null)).isSameAs(template.render(new Object[0]));
    KeyTemplate literal = KeyTemplate.parse("banner{{x}}");
    assertThat(literal.render(null)).isEqualTo("banner{x}").isSameAs(literal.render(null));
  }
}
