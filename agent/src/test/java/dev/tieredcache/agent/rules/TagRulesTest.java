package dev.tieredcache.agent.rules;

import static dev.tieredcache.agent.rules.RulesYaml.errors;
import static dev.tieredcache.agent.rules.RulesYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SPEC §3 "Tags": {@code tags:} on a caching rule and {@code evict: {tag: ...}}, and every mistake in them. */
class TagRulesTest {

  private static final String RULES = "rules:";
  private static final String PAGE = "  - name: page";
  private static final String PAGE_METHOD = "    method: com.acme.Catalog#page(long)";
  private static final String RENAMED = "  - name: renamed";
  private static final String RENAMED_METHOD = "    method: com.acme.Catalog#renameCategory(long, java.lang.String)";

  @Test
  void tagsAndAnEvictByTagAreRead() throws Exception {
    RulesFile rules = parse(RULES, PAGE, PAGE_METHOD,
        "    tags: [\"product:{0}\", \"category:{result.categoryId}\"]",
        RENAMED, RENAMED_METHOD, "    evict: {tag: \"category:{0}\"}");

    RuleSpec page = rules.rule("page").get();
    assertThat(page.tags().stream().map(TagTemplate::toString).collect(Collectors.toList()))
        .containsExactly("product:{0}", "category:{result.categoryId}");
    assertThat(page.tags().get(1).readsResult()).isTrue();
    assertThat(page.tags().get(1).forArity(1).render(new Object[] {3L, new Page(7)})).isEqualTo("category:7");
    assertThat(page.tags().get(0).forArity(1).render(new Object[] {3L, new Page(7)})).isEqualTo("product:3");
    RuleSpec renamed = rules.rule("renamed").get();
    assertThat(renamed.evict().get().tag().get().render(new Object[] {7L, "Shoes"})).isEqualTo("category:7");
    assertThat(renamed.evict().get().ruleName()).isNull();
    assertThat(renamed.summary()).contains("tag category:{0}");
  }

  @Test
  void theTagRulesOfTheContractsExampleParse() throws Exception {
    RulesFile rules = parse(RULES,
        "  - name: product-page",
        "    method: com.acme.Catalog#page(long)",
        "    tags: [\"product:{0}\", \"category:{result.categoryId}\"]   # templates over the arguments and the"
            + " returned value",
        "  - name: category-renamed",
        "    method: com.acme.Catalog#renameCategory(long, java.lang.String)",
        "    evict: {tag: \"category:{0}\"}                       # every entry carrying the tag, in every rule and"
            + " instance");

    assertThat(rules.rule("product-page").get().tags()).hasSize(2);
    assertThat(rules.rule("category-renamed").get().evict().get().tag().get()).hasToString("category:{0}");
  }

  @Test
  void aRuleWithoutTagsHasNone() throws Exception {
    assertThat(parse(RULES, PAGE, PAGE_METHOD).rule("page").get().tags()).isEmpty();
  }

  @Test
  void aBadTagTemplateIsReportedAtItsPosition() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, "    tags:", "      - \"product:{0\"", "      - \"a:{2}\"",
        "      - \"\""))
        .containsExactly(
            "rules.yaml:5:9: invalid tag template \"product:{0\": '{' at offset 8 is not closed; write {{ for a"
                + " literal '{' (a placeholder is an argument index like {0} or {0.id}, or the returned value:"
                + " {result}, {result.id})",
            "rules.yaml:6:9: tag \"a:{2}\" uses argument 2, but com.acme.Catalog#page(long) takes 1 argument"
                + " (arguments count from 0; {result} is the returned value)",
            "rules.yaml:7:9: 'an element of tags' has no value; give it one or leave the key out");
  }

  @Test
  void anUnquotedTagIsReportedWithTheFix() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, "    tags: [{0}]")).singleElement().asString()
        .startsWith("rules.yaml:4:12: a tag must be a quoted template");
  }

  @Test
  void tagsThatAreNotAListAreReported() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, "    tags: \"product:{0}\"")).singleElement().asString()
        .startsWith("rules.yaml:4:11:").contains("tags");
  }

  @Test
  void tagsOnAnEvictRuleAreReported() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, RENAMED, RENAMED_METHOD, "    evict: {tag: \"category:{0}\"}",
        "    tags: [\"x\"]")).containsExactly(
        "rules.yaml:7:5: evict rule 'renamed' caches nothing, so 'tags' has no effect; remove it (to evict every"
            + " entry carrying a tag, write evict: {tag: \"category:{0}\"})");
  }

  @Test
  void anEvictByTagWithRuleOrKeyBesideItIsReported() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, RENAMED, RENAMED_METHOD,
        "    evict: {tag: \"category:{0}\", rule: page, key: \"{0}\"}")).containsExactly(
        "rules.yaml:6:34: evict: {tag: ...} removes the entries carrying the tag in every rule, so 'rule' does not"
            + " belong beside it; remove it, or write a second evict rule",
        "rules.yaml:6:46: evict: {tag: ...} removes the entries carrying the tag in every rule, so 'key' does not"
            + " belong beside it; remove it, or write a second evict rule");
  }

  @Test
  void anEvictByTagUsingAMissingArgumentIsReported() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, RENAMED, RENAMED_METHOD, "    evict: {tag: \"category:{5}\"}"))
        .containsExactly("rules.yaml:6:18: key \"category:{5}\" uses argument 5, but"
            + " com.acme.Catalog#renameCategory(long, java.lang.String) takes 2 arguments (arguments count from 0)");
  }

  @Test
  void aMisspelledTagKeyInEvictSuggestsTag() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, RENAMED, RENAMED_METHOD, "    evict: {tga: \"category:{0}\"}"))
        .contains("rules.yaml:6:13: unknown key 'tga' (did you mean 'tag'?)");
  }

  @Test
  void aMisspelledTagsKeySuggestsTags() {
    assertThat(errors(RULES, PAGE, PAGE_METHOD, "    tagz: [\"x\"]"))
        .containsExactly("rules.yaml:4:5: unknown key 'tagz' (did you mean 'tags'?)");
  }

  /** A value with a property, as a rule's {@code {result.categoryId}} reads it. */
  public static final class Page {
    private final long categoryId;

    Page(long categoryId) {
      this.categoryId = categoryId;
    }

    public long getCategoryId() {
      return categoryId;
    }
  }
}
