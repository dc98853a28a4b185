package dev.tieredcache.agent.rules;

import static dev.tieredcache.agent.rules.RulesYaml.errors;
import static dev.tieredcache.agent.rules.RulesYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SPEC §3 "Batch rules": {@code batch: {rule, key, ids}} on a method, and every mistake in it. */
class BatchRulesTest {

  private static final String RULES = "rules:";
  private static final String PRODUCT = "  - name: product";
  private static final String PRODUCT_METHOD = "    method: com.acme.ProductRepository+#findById(..)";
  private static final String PRODUCTS = "  - name: products";
  private static final String PRODUCTS_METHOD = "    method: com.acme.ProductRepository+#findAllById(java.lang.Iterable)";

  @Test
  void aBatchRuleIsReadWithTheKeyOfAnElementAndNoPolicyOfItsOwn() throws Exception {
    RulesFile rules = parse(RULES, PRODUCT, PRODUCT_METHOD, "    key: \"{0}\"", "    ttl: 5s",
        PRODUCTS, PRODUCTS_METHOD, "    batch: {rule: product, key: \"{id}\"}");

    RuleSpec products = rules.rule("products").get();
    BatchSpec batch = products.batch().get();
    assertThat(batch.ruleName()).isEqualTo("product");
    assertThat(batch.elementKey().render(new Object[] {new Product(7)})).isEqualTo("7");
    assertThat(batch.idsIndex()).isEmpty();
    assertThat(products.cachesValues()).isFalse();
    assertThat(products.isEvict()).isFalse();
    assertThat(rules.rule("product").get().cachesValues()).isTrue();
    assertThat(products.summary()).startsWith("batch products -> product key={id}");
  }

  @Test
  void theBatchRuleOfTheContractsExampleParses() throws Exception {
    RulesFile rules = parse(RULES, PRODUCT, PRODUCT_METHOD, "    key: \"{0}\"",
        "  - name: products",
        "    method: com.acme.ProductRepository+#findAllById(java.lang.Iterable)",
        "    batch: {rule: product, key: \"{id}\"}                # each element cached as rule product's key {id};"
            + " upstream asked only for missing ids");
    assertThat(rules.rule("products").get().batch()).isPresent();
  }

  @Test
  void idsNamesTheArgumentThatHoldsTheIds() throws Exception {
    RulesFile rules = parse(RULES, "  - name: price", "    method: com.acme.Prices#price(java.lang.String)",
        "  - name: prices", "    method: com.acme.Prices#prices(java.lang.String, java.util.List)",
        "    batch: {rule: price, key: \"sku-{sku}\", ids: \"{1}\"}");
    BatchSpec batch = rules.rule("prices").get().batch().get();
    assertThat(batch.idsIndex()).hasValue(1);
    assertThat(batch.elementKey().render(new Object[] {new Sku("A1")})).isEqualTo("sku-A1");
  }

  @Test
  void anUnknownRuleIsReportedWithTheClosestName() {
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD,
        "    batch: {rule: prodcut, key: \"{id}\"}"))
        .containsExactly("rules.yaml:6:19: batch names unknown rule 'prodcut' (did you mean 'product'?)");
  }

  @Test
  void aBatchOfAnEvictOrBatchRuleIsReported() {
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD,
        "  - name: saved", "    method: com.acme.ProductRepository+#save(..)", "    evict: {rule: product, all: true}",
        PRODUCTS, PRODUCTS_METHOD, "    batch: {rule: saved, key: \"{id}\"}",
        "  - name: again", "    method: com.acme.ProductRepository+#findAll(java.util.List)",
        "    batch: {rule: products, key: \"{id}\"}"))
        .containsExactly(
            "rules.yaml:9:19: batch names rule 'saved', which is itself an evict rule; name the rule that caches one"
                + " element, like the rule of findById",
            "rules.yaml:12:19: batch names rule 'products', which is itself a batch rule; name the rule that caches"
                + " one element, like the rule of findById");
  }

  @Test
  void aMissingKeyOrRuleIsReported() {
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD, "    batch: {rule: product}",
        "  - name: other", "    method: com.acme.ProductRepository+#findAll(java.util.List)",
        "    batch: {key: \"{id}\"}"))
        .containsExactly(
            "rules.yaml:6:5: batch needs key: the key of an element of the result, as the named rule renders it for"
                + " the element's id, like batch: {rule: product, key: \"{id}\"}",
            "rules.yaml:9:5: batch needs rule: naming the caching rule each id is looked up in, like batch: {rule:"
                + " product, key: \"{id}\"}");
  }

  @Test
  void aBadElementKeyIsReportedAtItsPosition() {
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD,
        "    batch: {rule: product, key: \"{0}\"}"))
        .singleElement().asString()
        .isEqualTo("rules.yaml:6:33: invalid batch key \"{0}\": placeholder at offset 0 must name a property of an"
            + " element, like {id} or {sku} (a getter or field of the returned elements)");
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD,
        "    batch: {rule: product, key: \"{id\"}"))
        .singleElement().asString().startsWith("rules.yaml:6:33: invalid batch key \"{id\"");
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD,
        "    batch: {rule: product, key: {id}}"))
        .singleElement().asString().startsWith("rules.yaml:6:33: key must be a quoted template");
  }

  @Test
  void idsOutOfRangeOrNotOneArgumentIsReported() {
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD,
        "    batch: {rule: product, key: \"{id}\", ids: \"{1}\"}"))
        .containsExactly("rules.yaml:6:46: ids \"{1}\" is argument 1, but"
            + " com.acme.ProductRepository+#findAllById(java.lang.Iterable) takes 1 argument (arguments count from 0)");
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD,
        "    batch: {rule: product, key: \"{id}\", ids: \"{0.ids}\"}"))
        .singleElement().asString().startsWith("rules.yaml:6:46: ids must name one argument");
  }

  @Test
  void policyKeysTagsAndAnOuterKeyDoNotBelongToABatchRule() {
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD, "    key: \"{0}\"", "    ttl: 5s",
        "    tags: [\"a\"]", "    batch: {rule: product, key: \"{id}\"}"))
        .containsExactly(
            "rules.yaml:6:5: batch rule 'products' takes the key of an element inside batch:, like batch: {rule:"
                + " product, key: \"{id}\"}",
            "rules.yaml:7:5: batch rule 'products' caches through the rule that batch: names, so 'ttl' has no effect"
                + " here; set it on that rule",
            "rules.yaml:8:5: batch rule 'products' caches through the rule that batch: names, so 'tags' has no"
                + " effect here; set it on that rule");
  }

  @Test
  void aBatchOfARuleWhoseKeyIsNotItsOnlyArgumentIsReported() {
    assertThat(errors(RULES, "  - name: page", "    method: com.acme.Catalog#page(long, int)",
        "  - name: pages", "    method: com.acme.Catalog#pages(java.util.List)",
        "    batch: {rule: page, key: \"{id}\"}"))
        .containsExactly("rules.yaml:6:19: batch names rule 'page', whose method com.acme.Catalog#page(long, int)"
            + " does not take one argument; a batch looks each id up as that method's only argument");
  }

  @Test
  void unknownKeysInsideBatchAreReported() {
    assertThat(errors(RULES, PRODUCT, PRODUCT_METHOD, PRODUCTS, PRODUCTS_METHOD,
        "    batch: {rule: product, key: \"{id}\", idz: \"{0}\"}"))
        .singleElement().asString().startsWith("rules.yaml:6:41: unknown key 'idz'");
  }

  /** An element with a getter. */
  public static final class Product {
    private final long id;

    Product(long id) {
      this.id = id;
    }

    public long getId() {
      return id;
    }
  }

  /** An element with a public field. */
  public static final class Sku {
    public final String sku;

    Sku(String sku) {
      this.sku = sku;
    }
  }
}
