package dev.tieredcache.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.agent.rules.targets.Filter;
import dev.tieredcache.agent.rules.targets.Owner;
import dev.tieredcache.agent.rules.targets.Product;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key templates make the same key from the same arguments, reading properties the way the contract says. */
class KeyTemplateTest {

  @Test
  void singleArgumentKeyIsTheStringArgumentItself() {
    KeyTemplate key = KeyTemplate.parse("{0}");
    String sku = new String("sku-1");
    assertThat(key.isSingleArgumentIdentity()).isTrue();
    assertThat(key.renderOne(sku)).isSameAs(sku);
    assertThat(key.render(new Object[] {sku})).isSameAs(sku);
    assertThat(key.renderOne(42L)).isEqualTo("42");
    assertThat(key.renderOne(null)).isEqualTo("null");
    assertThat(key.maxArgumentIndex()).isZero();
  }

  @Test
  void literalTextBetweenPlaceholdersIsKept() {
    KeyTemplate key = KeyTemplate.parse("user:{0}:{1}");
    assertThat(key.isSingleArgumentIdentity()).isFalse();
    assertThat(key.maxArgumentIndex()).isEqualTo(1);
    assertThat(key.render(new Object[] {"ann", 7})).isEqualTo("user:ann:7");
    assertThat(key).hasToString("user:{0}:{1}");
  }

  @Test
  void doubledBracesAreLiteralBraces() {
    KeyTemplate key = KeyTemplate.parse("{{{0}}}-{{x}}");
    assertThat(key.renderOne("a")).isEqualTo("{a}-{x}");
    assertThat(KeyTemplate.parse("{{0}}").maxArgumentIndex()).isEqualTo(-1);
    assertThat(KeyTemplate.parse("{{0}}").render(new Object[0])).isEqualTo("{0}");
  }

  @Test
  void propertiesAreReadThroughGettersBooleanGettersAccessorsAndFields() {
    Product product = new Product(12, new Owner("ann", "eu"), true);
    assertThat(KeyTemplate.parse("{0.id}").renderOne(product)).isEqualTo("12");
    assertThat(KeyTemplate.parse("{0.active}").renderOne(product)).isEqualTo("true");
    assertThat(KeyTemplate.parse("{0.owner.region}").renderOne(product)).isEqualTo("eu");
    assertThat(KeyTemplate.parse("{0.owner.name}").renderOne(product)).isEqualTo("ann");
    assertThat(KeyTemplate.parse("{1.id}/{0}").render(new Object[] {"x", product})).isEqualTo("12/x");
  }

  @Test
  void propertyOfANonPublicClassIsReadThroughItsPublicInterface() {
    assertThat(KeyTemplate.parse("{0.empty}").renderOne(List.of())).isEqualTo("true");
  }

  @Test
  void nullAlongThePathIsWrittenAsNull() {
    Product orphan = new Product(3, null, false);
    assertThat(KeyTemplate.parse("{0.owner.name}").renderOne(orphan)).isEqualTo("null");
    assertThat(KeyTemplate.parse("p:{0.id}").renderOne(null)).isEqualTo("p:null");
  }

  @Test
  void missingPropertyNamesThePropertyAndTheClass() {
    assertThatThrownBy(() -> KeyTemplate.parse("{0.sku}").renderOne(new Product(1, null, true)))
        .isInstanceOf(KeyRenderException.class)
        .hasMessage("no property 'sku' on dev.tieredcache.agent.rules.targets.Product (looked for getSku(), isSku(),"
            + " sku() and a field sku); fix the key template");
  }

  @Test
  void valueWithoutStableTextIsRejected() {
    assertThatThrownBy(() -> KeyTemplate.parse("{0}").renderOne(new Filter("x")))
        .isInstanceOf(KeyRenderException.class)
        .hasMessageContaining("dev.tieredcache.agent.rules.targets.Filter has no stable text form");
    assertThat(KeyTemplate.parse("{0.text}").renderOne(new Filter("cheap"))).isEqualTo("cheap");
  }

  @Test
  void defaultKeyJoinsEveryArgumentWithCommas() {
    assertThat(KeyTemplate.allArguments(3).render(new Object[] {"a", 1, null})).isEqualTo("a,1,null");
    assertThat(KeyTemplate.allArguments(0).render(new Object[0])).isEmpty();
    assertThat(KeyTemplate.allArguments(0).maxArgumentIndex()).isEqualTo(-1);
    KeyTemplate one = KeyTemplate.allArguments(1);
    assertThat(one.isSingleArgumentIdentity()).isTrue();
    String arg = new String("only");
    assertThat(one.renderOne(arg)).isSameAs(arg);
    assertThat(KeyTemplate.allArguments(2).isSingleArgumentIdentity()).isFalse();
  }

  @Test
  void callWithTooFewArgumentsIsAKeyRenderException() {
    assertThatThrownBy(() -> KeyTemplate.parse("{0}:{1}").renderOne("a"))
        .isInstanceOf(KeyRenderException.class)
        .hasMessage("key template {0}:{1} uses argument 1 but the method takes 1 argument");
    assertThatThrownBy(() -> KeyTemplate.parse("{2}").render(new Object[] {"a"}))
        .isInstanceOf(KeyRenderException.class)
        .hasMessage("key template {2} uses argument 2 but the call has 1 argument");
  }

  @Test
  void malformedTemplatesGiveTheOffset() {
    assertThatThrownBy(() -> KeyTemplate.parse("user:{0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid key template \"user:{0\": '{' at offset 5 is not closed; write {{ for a literal '{'");
    assertThatThrownBy(() -> KeyTemplate.parse("a}b"))
        .hasMessage("invalid key template \"a}b\": '}' at offset 1 closes no placeholder; write }} for a literal '}'");
    assertThatThrownBy(() -> KeyTemplate.parse("x{}"))
        .hasMessage("invalid key template \"x{}\": empty placeholder {} at offset 1; write {0} for argument 0");
    assertThatThrownBy(() -> KeyTemplate.parse("{id}"))
        .hasMessage("invalid key template \"{id}\": placeholder {id} at offset 0 must start with an argument index,"
            + " like {0} or {0.id}");
    assertThatThrownBy(() -> KeyTemplate.parse("{0.}"))
        .hasMessage("invalid key template \"{0.}\": placeholder {0.} at offset 0 has an empty property name; write"
            + " properties like {0.owner.name}");
    assertThatThrownBy(() -> KeyTemplate.parse("{0{1}"))
        .hasMessage("invalid key template \"{0{1}\": '{' at offset 0 is not closed; write {{ for a literal '{'");
  }

  @Test
  void defaultKeyOfSeveralArgumentsEscapesCommasSoDifferentArgumentsNeverShareAKey() {
    KeyTemplate key = KeyTemplate.allArguments(2);

    assertThat(key.render(new Object[] {"a,b", "c"})).isEqualTo("a\\,b,c");
    assertThat(key.render(new Object[] {"a", "b,c"})).isEqualTo("a,b\\,c");
    assertThat(key.render(new Object[] {"a\\", ",c"})).isNotEqualTo(key.render(new Object[] {"a\\,", "c"}));
    assertThat(key.render(new Object[] {"plain", 7})).isEqualTo("plain,7");
  }

  @Test
  void literalTextBetweenPlaceholdersIsEscapedInValuesSoDifferentArgumentsNeverShareAKey() {
    KeyTemplate key = KeyTemplate.parse("user:{0}:{1}");

    assertThat(key.render(new Object[] {"a:b", "c"})).isEqualTo("user:a\\:b:c");
    assertThat(key.render(new Object[] {"a", "b:c"})).isEqualTo("user:a:b\\:c");
    assertThat(key.render(new Object[] {"a\\", ":c"})).isEqualTo("user:a\\\\:\\:c");
    assertThat(key.render(new Object[] {"a\\:", "c"})).isEqualTo("user:a\\\\\\::c");
    assertThat(key.render(new Object[] {"user", 7})).as("text before the first placeholder is not escaped")
        .isEqualTo("user:user:7");
  }

  @Test
  void everyCharacterOfTheTextBetweenPlaceholdersIsEscaped() {
    KeyTemplate key = KeyTemplate.parse("{0}-v-{1}");

    assertThat(key.render(new Object[] {"a-v-b", "c"})).isEqualTo("a\\-\\v\\-b-v-c");
    assertThat(key.render(new Object[] {"a", "b-v-c"})).isEqualTo("a-v-b\\-\\v\\-c");
    assertThat(key.render(new Object[] {"vat", "x"})).isEqualTo("\\vat-v-x");
  }

  @Test
  void propertyPlaceholdersOfOneArgumentAreEscapedToo() {
    KeyTemplate key = KeyTemplate.parse("{0.name}/{0.region}");

    assertThat(key.renderOne(new Owner("a/b", "c"))).isEqualTo("a\\/b/c");
    assertThat(key.renderOne(new Owner("a", "b/c"))).isEqualTo("a/b\\/c");
  }

  @Test
  void textOnlyAroundASinglePlaceholderLeavesTheValueAsItIs() {
    assertThat(KeyTemplate.parse("p:{0}").renderOne("a:b\\c")).isEqualTo("p:a:b\\c");
    assertThat(KeyTemplate.parse("{0}:p").renderOne("a:p")).isEqualTo("a:p:p");
    assertThat(KeyTemplate.parse("[{0.id}]").renderOne(new Product(7, null, true))).isEqualTo("[7]");
    String bare = new String("a:b,c\\d");
    assertThat(KeyTemplate.parse("{0}").renderOne(bare)).isSameAs(bare);
    assertThat(KeyTemplate.parse("{0}").render(new Object[] {bare})).isSameAs(bare);
  }

  @Test
  void explicitTemplateOfCommaSeparatedArgumentsMakesTheDefaultKey() {
    KeyTemplate explicit = KeyTemplate.parse("{0},{1}");
    KeyTemplate byDefault = KeyTemplate.allArguments(2);

    for (Object[] args : new Object[][] {{"a,b", "c"}, {"a", "b,c"}, {"a\\", ",c"}, {"plain", 7}}) {
      assertThat(explicit.render(args)).isEqualTo(byDefault.render(args));
    }
  }

  @Test
  void noTwoArgumentPairsShareAKeyUnderTemplatesWithTextBetweenPlaceholders() {
    List<String> values = allStrings("ab:,\\-", 3);
    for (String template : new String[] {"user:{0}:{1}", "{0}::{1}", "{0}-:-{1}!", "{0},{1}", "x{0}ab{1}b"}) {
      KeyTemplate key = KeyTemplate.parse(template);
      Map<String, List<String>> seen = new HashMap<>();
      for (String first : values) {
        for (String second : values) {
          List<String> earlier = seen.putIfAbsent(key.render(new Object[] {first, second}), List.of(first, second));
          assertThat(earlier).as("%s renders %s the same as %s", template, List.of(first, second), earlier).isNull();
        }
      }
    }
  }

  /** Every string of up to {@code maxLength} characters drawn from {@code alphabet}, the empty string included. */
  private static List<String> allStrings(String alphabet, int maxLength) {
    List<String> all = new ArrayList<>();
    all.add("");
    int from = 0;
    for (int length = 1; length <= maxLength; length++) {
      int to = all.size();
      for (int i = from; i < to; i++) {
        for (char c : alphabet.toCharArray()) {
          all.add(all.get(i) + c);
        }
      }
      from = to;
    }
    return all;
  }
}
