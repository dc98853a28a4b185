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
