package dev.tieredcache.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** Rules are checked against the class files they name, without loading them. */
class RuleTargetCheckTest {

  private static final String T = "dev.tieredcache.agent.rules.targets.";

  private final TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));

  /** Parses a file of the given rules (each a method, then extra lines) and returns the errors of the check. */
  private List<String> errorsOf(String... ruleLines) throws RulesException {
    return RuleTargetCheck.check(rules(ruleLines), pool).stream().map(RulesError::toString)
        .collect(Collectors.toList());
  }

  private static RulesFile rules(String... ruleLines) throws RulesException {
    String[] lines = new String[ruleLines.length + 1];
    lines[0] = "rules:";
    System.arraycopy(ruleLines, 0, lines, 1, ruleLines.length);
    return RulesParser.parse("rules.yaml", RulesYaml.yaml(lines), Map.<String, String>of()::get);
  }

  @Test
  void validRulesHaveNoErrors() throws RulesException {
    TargetCheckResult result = RuleTargetCheck.checkAll(rules(
        "  - name: price", "    method: " + T + "Catalog#price(java.lang.String)",
        "  - name: quantity-price", "    method: " + T + "Catalog#price(String, int)",
        "  - name: label", "    method: " + T + "Catalog#label(..)",
        "  - name: find", "    method: " + T + "Catalog#find(..)", "    key: \"{0.id}:{0.owner.region}\"",
        "  - name: repo", "    method: " + T + "ProductRepository+#findById(..)",
        "  - name: load", "    method: " + T + "AbstractStore+#load(..)",
        "  - name: describe", "    method: " + T + "FileStore+#describe(..)",
        "  - name: search", "    method: " + T + "Catalog#search(..)", "    key: \"{0.text}\"",
        "  - name: saved", "    method: " + T + "Catalog#save(..)", "    evict: {rule: find, key: \"{0.id}\"}",
        "  - name: wild", "    method: " + T + "*#find*(..)"), pool);
    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    assertThat(result.isOk()).isTrue();
  }

  @Test
  void voidMethodIsRejected() throws RulesException {
    assertThat(errorsOf("  - name: save", "    method: " + T + "Catalog#save(..)")).containsExactly(
        "rules.yaml:3:13: " + T + "Catalog#save returns void; void methods cannot be cached (use evict: to evict on"
            + " it)");
  }

  @Test
  void abstractMethodWithoutPlusIsRejected() throws RulesException {
    assertThat(errorsOf(
        "  - name: repo", "    method: " + T + "ProductRepository#findById(java.lang.Long)",
        "  - name: load", "    method: " + T + "AbstractStore#load(String)")).containsExactly(
        "rules.yaml:3:13: " + T + "ProductRepository#findById is abstract; add '+' after the type to cache its"
            + " implementations",
        "rules.yaml:5:13: " + T + "AbstractStore#load is abstract; add '+' after the type to cache its"
            + " implementations");
  }

  @Test
  void nativeMethodIsRejected() throws RulesException {
    assertThat(errorsOf("  - name: sum", "    method: " + T + "Catalog#checksum(..)")).containsExactly(
        "rules.yaml:3:13: " + T + "Catalog#checksum is native; native methods cannot be instrumented");
  }

  @Test
  void defaultKeyOverAnArgumentWithoutStableTextIsRejected() throws RulesException {
    assertThat(errorsOf(
        "  - name: search", "    method: " + T + "Catalog#search(..)",
        "  - name: search-all", "    method: " + T + "Catalog#searchAll(..)",
        "  - name: by-filter", "    method: " + T + "ProductRepository+#findByFilter(..)")).containsExactly(
        "rules.yaml:3:13: rule 'search': argument 0 (" + T + "Filter) has no stable text form (it does not override"
            + " toString()); set key: to a template such as \"{0.id}\"",
        "rules.yaml:5:13: rule 'search-all': argument 0 (" + T + "Filter[]) has no stable text form (its element type "
            + T + "Filter does not override toString()); set key: to a template such as \"{0.id}\"",
        "rules.yaml:7:13: rule 'by-filter': argument 0 (" + T + "Filter) has no stable text form (it does not override"
            + " toString()); set key: to a template such as \"{0.id}\"");
  }

  @Test
  void explicitKeyOverAnArgumentWithoutStableTextIsRejected() throws RulesException {
    assertThat(errorsOf("  - name: search", "    method: " + T + "Catalog#search(..)", "    key: \"f:{0}\""))
        .containsExactly("rules.yaml:3:13: rule 'search': key \"f:{0}\": argument 0 (" + T + "Filter) has no stable"
            + " text form (it does not override toString()); use one of its properties, such as \"{0.id}\"");
  }

  @Test
  void missingMethodListsTheOverloadsOfThatName() throws RulesException {
    assertThat(errorsOf("  - name: price", "    method: " + T + "Catalog#price(long)")).containsExactly(
        "rules.yaml:3:13: no method price(long) on " + T + "Catalog; it has price(java.lang.String),"
            + " price(java.lang.String, int)");
  }

  @Test
  void missingMethodSuggestsACloseName() throws RulesException {
    assertThat(errorsOf("  - name: price", "    method: " + T + "Catalog#prise(..)")).containsExactly(
        "rules.yaml:3:13: no method prise(..) on " + T + "Catalog (did you mean 'price'?)");
  }

  @Test
  void inheritedMethodWithoutPlusPointsAtItsDeclaringType() throws RulesException {
    assertThat(errorsOf("  - name: describe", "    method: " + T + "FileStore#describe(..)")).containsExactly(
        "rules.yaml:3:13: no method describe(..) on " + T + "FileStore; it is declared on " + T + "AbstractStore:"
            + " name that type, or add '+' after the type");
  }

  @Test
  void missingPropertyIsRejected() throws RulesException {
    assertThat(errorsOf(
        "  - name: find", "    method: " + T + "Catalog#find(..)", "    key: \"{0.sku}\"",
        "  - name: find-owner", "    method: " + T + "Catalog#find(..)", "    key: \"{0.owner.email}\"")).containsExactly(
        "rules.yaml:3:13: rule 'find': key \"{0.sku}\": " + T + "Product has no property 'sku' (no getSku(), isSku(),"
            + " sku() or field sku)",
        "rules.yaml:6:13: rule 'find-owner': key \"{0.owner.email}\": " + T + "Owner has no property 'email' (no"
            + " getEmail(), isEmail(), email() or field email)");
  }

  @Test
  void keyUsingAnArgumentBeyondTheMethodsParametersIsRejected() throws RulesException {
    assertThat(errorsOf("  - name: label", "    method: " + T + "Catalog#label(..)", "    key: \"{0}:{1}\""))
        .containsExactly("rules.yaml:3:13: rule 'label': key \"{0}:{1}\": uses argument 1, but " + T
            + "Catalog#label(" + T + "Labelled) takes 1 argument (arguments count from 0)");
  }

  @Test
  void evictRuleMayNameAVoidMethodAndItsKeyIsChecked() throws RulesException {
    assertThat(errorsOf(
        "  - name: find", "    method: " + T + "Catalog#find(..)", "    key: \"{0.id}\"",
        "  - name: saved", "    method: " + T + "Catalog#save(..)", "    evict: {rule: find, key: \"{0.code}\"}",
        "  - name: deleted", "    method: " + T + "ProductRepository#delete(..)", "    evict: {rule: find, all: true}"))
        .containsExactly(
            "rules.yaml:6:13: rule 'saved': key \"{0.code}\": " + T + "Product has no property 'code' (no getCode(),"
                + " isCode(), code() or field code)",
            "rules.yaml:9:13: " + T + "ProductRepository#delete is abstract; add '+' after the type to evict on its"
                + " implementations");
  }

  @Test
  void tagTemplatesAreCheckedAgainstTheArgumentsLikeKeys() throws RulesException {
    assertThat(errorsOf(
        "  - name: find", "    method: " + T + "Catalog#find(..)", "    key: \"{0.id}\"",
        "    tags: [\"product:{0.sku}\", \"any:{result.whatever}\"]",
        "  - name: saved", "    method: " + T + "Catalog#save(..)", "    evict: {tag: \"product:{0.code}\"}"))
        .containsExactly(
            "rules.yaml:3:13: rule 'find': tag \"product:{0.sku}\": " + T + "Product has no property 'sku' (no"
                + " getSku(), isSku(), sku() or field sku)",
            "rules.yaml:7:13: rule 'saved': tag \"product:{0.code}\": " + T + "Product has no property 'code' (no"
                + " getCode(), isCode(), code() or field code)");
  }

  @Test
  void typeNotOnTheClassPathIsAWarningOnly() throws RulesException {
    TargetCheckResult result = RuleTargetCheck.checkAll(rules(
        "  - name: price", "    method: com.acme.Catalog#price(java.lang.String)"), pool);
    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).extracting(RulesError::toString).containsExactly(
        "rules.yaml:3:13: com.acme.Catalog not found on the class path; checked when it loads");
  }

  @Test
  void globMatchingOnlyUncacheableMethodsIsRejected() throws RulesException {
    assertThat(errorsOf("  - name: saves", "    method: " + T + "Catalog#sav*(..)")).containsExactly(
        "rules.yaml:3:13: none of the methods matching sav*(..) on " + T + "Catalog can be cached: " + T
            + "Catalog#save returns void; void methods cannot be cached (use evict: to evict on it)");
  }

  @Test
  void onlyRealMethodsWithABodyAndAResultAreCacheable() {
    TypeDescription catalog = pool.describe(T + "Catalog").resolve();
    TypeDescription repository = pool.describe(T + "ProductRepository").resolve();
    assertThat(RuleTargetCheck.isCacheable(method(catalog, "price"))).isTrue();
    assertThat(RuleTargetCheck.isCacheable(method(catalog, "save"))).isFalse();
    assertThat(RuleTargetCheck.isCacheable(method(catalog, "checksum"))).isFalse();
    assertThat(RuleTargetCheck.isCacheable(method(catalog, "<init>"))).isFalse();
    assertThat(RuleTargetCheck.isCacheable(method(repository, "findById"))).isFalse();
  }

  private static MethodDescription method(TypeDescription type, String internalName) {
    return type.getDeclaredMethods().stream().filter(m -> m.getInternalName().equals(internalName)).findFirst()
        .orElseThrow();
  }

  private static final String[] WAREHOUSE_FIND = {"  - name: find", "    method: " + T + "Warehouse#find(Long)"};

  private List<String> batchErrors(String method, String batch) throws RulesException {
    return errorsOf(WAREHOUSE_FIND[0], WAREHOUSE_FIND[1], "  - name: many", "    method: " + T + "Warehouse#" + method,
        "    batch: " + batch);
  }

  @Test
  void batchMethodsOfEveryShapeHaveNoErrors() throws RulesException {
    TargetCheckResult result = RuleTargetCheck.checkAll(rules(WAREHOUSE_FIND[0], WAREHOUSE_FIND[1],
        "  - name: all", "    method: " + T + "Warehouse#findAll(java.util.List)",
        "    batch: {rule: find, key: \"{id}\"}",
        "  - name: by-ids", "    method: " + T + "Warehouse#byIds(java.util.Set)",
        "    batch: {rule: find, key: \"{id}\"}",
        "  - name: loaded", "    method: " + T + "Warehouse#load(java.lang.Long[])",
        "    batch: {rule: find, key: \"{owner.region}\"}"), pool);
    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void aBatchKeyPropertyTheElementsDoNotHaveIsReported() throws RulesException {
    assertThat(batchErrors("findAll(java.util.List)", "{rule: find, key: \"{sku}\"}")).containsExactly(
        "rules.yaml:5:13: rule 'many': batch key \"{sku}\": " + T + "Product has no property 'sku' (no getSku(),"
            + " isSku(), sku() or field sku)");
  }

  @Test
  void aBatchMethodWithoutACollectionOfIdsIsReported() throws RulesException {
    assertThat(batchErrors("one(..)", "{rule: find, key: \"{id}\"}")).containsExactly(
        "rules.yaml:5:13: rule 'many': " + T + "Warehouse#one(java.lang.Long, java.lang.String) takes no collection"
            + " or array of ids; a batch method takes the ids as one argument, like findAllById(Iterable) or"
            + " load(String[])");
  }

  @Test
  void aBatchMethodThatReturnsNoElementsIsReported() throws RulesException {
    assertThat(batchErrors("summary(java.util.List)", "{rule: find, key: \"{id}\"}")).containsExactly(
        "rules.yaml:5:13: rule 'many': " + T + "Warehouse#summary(java.util.List) returns java.lang.String; a batch"
            + " method returns a Map keyed by id, or a collection or array of elements");
  }

  @Test
  void idsOfAnotherTypeThanTheNamedRulesArgumentAreReported() throws RulesException {
    assertThat(batchErrors("byNames(java.util.List)", "{rule: find, key: \"{id}\"}")).containsExactly(
        "rules.yaml:5:13: rule 'many': the ids are java.lang.String, but rule 'find' makes its key from the"
            + " java.lang.Long argument of find; a batch looks each id up as that argument");
  }
}
