package dev.tieredcache.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Method patterns name the methods they should, and explain the ones they cannot read. */
class MethodPatternTest {

  @Test
  void exactPatternMatchesOnlyItsTypeMethodAndParameters() {
    MethodPattern p = MethodPattern.parse("com.acme.Catalog#price(java.lang.String)");
    assertThat(p.isExactType()).isTrue();
    assertThat(p.exactTypeName()).isEqualTo("com.acme.Catalog");
    assertThat(p.typeGlob()).isEqualTo("com.acme.Catalog");
    assertThat(p.includesSubtypes()).isFalse();
    assertThat(p.matchesTypeName("com.acme.Catalog")).isTrue();
    assertThat(p.matchesTypeName("com.acme.CatalogImpl")).isFalse();
    assertThat(p.isExactMethodName()).isTrue();
    assertThat(p.matchesMethodName("price")).isTrue();
    assertThat(p.matchesMethodName("prices")).isFalse();
    assertThat(p.parameterTypes()).contains(List.of("java.lang.String"));
    assertThat(p.matchesParameters(List.of("java.lang.String"))).isTrue();
    assertThat(p.matchesParameters(List.of("java.lang.String", "int"))).isFalse();
    assertThat(p.matchesParameters(List.of())).isFalse();
    assertThat(p).hasToString("com.acme.Catalog#price(java.lang.String)");
  }

  @Test
  void starInTheTypeMatchesAnyCharactersIncludingDots() {
    MethodPattern p = MethodPattern.parse("com.acme.*Service#find*(..)");
    assertThat(p.isExactType()).isFalse();
    assertThat(p.matchesTypeName("com.acme.ProductService")).isTrue();
    assertThat(p.matchesTypeName("com.acme.billing.InvoiceService")).isTrue();
    assertThat(p.matchesTypeName("com.acme.ServiceLocator")).isFalse();
    assertThat(p.matchesTypeName("org.acme.ProductService")).isFalse();
    assertThat(p.isExactMethodName()).isFalse();
    assertThat(p.matchesMethodName("findById")).isTrue();
    assertThat(p.matchesMethodName("find")).isTrue();
    assertThat(p.matchesMethodName("refind")).isFalse();
    assertThatThrownBy(p::exactTypeName).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void regexCharactersInNamesAreTakenLiterally() {
    MethodPattern p = MethodPattern.parse("com.acme.Outer$In*#get(..)");
    assertThat(p.matchesTypeName("com.acme.Outer$Inner")).isTrue();
    assertThat(p.matchesTypeName("com.acmeXOuter$Inner")).isFalse();
  }

  @Test
  void plusMeansTheTypeAndItsSubtypes() {
    MethodPattern p = MethodPattern.parse("com.acme.ProductRepository+#findById(..)");
    assertThat(p.includesSubtypes()).isTrue();
    assertThat(p.typeGlob()).isEqualTo("com.acme.ProductRepository");
    assertThat(p.exactTypeName()).isEqualTo("com.acme.ProductRepository");
    assertThat(p.matchesTypeName("com.acme.ProductRepository")).isTrue();
  }

  @Test
  void twoDotsMatchAnyParameters() {
    MethodPattern p = MethodPattern.parse("com.acme.Catalog#price(..)");
    assertThat(p.parameterTypes()).isEmpty();
    assertThat(p.matchesParameters(List.of())).isTrue();
    assertThat(p.matchesParameters(List.of("long", "byte[]"))).isTrue();
  }

  @Test
  void emptyParametersMatchOnlyNoParameters() {
    MethodPattern p = MethodPattern.parse("com.acme.Catalog#all()");
    assertThat(p.parameterTypes()).contains(List.of());
    assertThat(p.matchesParameters(List.of())).isTrue();
    assertThat(p.matchesParameters(List.of("int"))).isFalse();
  }

  @Test
  void simpleJavaLangNamesPrimitivesAndArraysAreNormalised() {
    MethodPattern p = MethodPattern.parse("com.acme.Catalog#find(String, Long, int, byte[], Object[][], java.util.List,"
        + " String...)");
    assertThat(p.parameterTypes()).contains(List.of("java.lang.String", "java.lang.Long", "int", "byte[]",
        "java.lang.Object[][]", "java.util.List", "java.lang.String[]"));
    assertThat(p.matchesParameters(List.of("java.lang.String", "java.lang.Long", "int", "byte[]",
        "java.lang.Object[][]", "java.util.List", "java.lang.String[]"))).isTrue();
  }

  @Test
  void constructorsAreRejected() {
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#<init>(..)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("constructors cannot be cached: 'com.acme.Catalog#<init>(..)' names a constructor; name a method"
            + " that returns the value");
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#<clinit>()"))
        .hasMessageStartingWith("constructors cannot be cached");
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog+#Catalog(java.lang.String)"))
        .hasMessage("constructors cannot be cached: 'com.acme.Catalog+#Catalog(java.lang.String)' names the"
            + " constructor of com.acme.Catalog; name a method that returns the value");
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Outer$Inner#Inner()"))
        .hasMessageStartingWith("constructors cannot be cached");
  }

  @Test
  void methodNamedLikeTheTypeIsFineWhenTheTypeIsAPattern() {
    assertThat(MethodPattern.parse("com.acme.*#Catalog(..)").matchesMethodName("Catalog")).isTrue();
  }

  @Test
  void malformedPatternsSayWhatIsWrongAndTheExpectedForm() {
    String expected = "; write Type#method(param types), like com.acme.Catalog#price(java.lang.String) or"
        + " com.acme.*Service#find*(..)";
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog.price()"))
        .hasMessage("invalid method pattern 'com.acme.Catalog.price()': there is no '#' between the type and the"
            + " method" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#price"))
        .hasMessage("invalid method pattern 'com.acme.Catalog#price': the method has no parameter list; add (..) for"
            + " any parameters or list their types" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("#price()"))
        .hasMessage("invalid method pattern '#price()': there is no type before '#'" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#()"))
        .hasMessage("invalid method pattern 'com.acme.Catalog#()': there is no method name between '#' and '('"
            + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme+.Catalog#price()"))
        .hasMessage("invalid method pattern 'com.acme+.Catalog#price()': '+' may only end the type, right before '#'"
            + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com..acme.Catalog#price()"))
        .hasMessage("invalid method pattern 'com..acme.Catalog#price()': the type 'com..acme.Catalog' has an empty"
            + " name between dots" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#price(java.util.List<String>)"))
        .hasMessage("invalid method pattern 'com.acme.Catalog#price(java.util.List<String>)': write parameter types"
            + " without generic arguments: 'java.util.List', not 'java.util.List<String>'" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#price(String, ..)"))
        .hasMessage("invalid method pattern 'com.acme.Catalog#price(String, ..)': '..' stands for any parameters and"
            + " cannot be mixed with parameter types" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#price(List)"))
        .hasMessage("invalid method pattern 'com.acme.Catalog#price(List)': parameter type 'List' needs its package,"
            + " like com.acme.List (only common java.lang types may be written without it)" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#price(String) throws X"))
        .hasMessage("invalid method pattern 'com.acme.Catalog#price(String) throws X': the parameter list must end"
            + " the pattern with a single ')'" + expected);
    assertThatThrownBy(() -> MethodPattern.parse("com.acme.Catalog#pri-ce()"))
        .hasMessage("invalid method pattern 'com.acme.Catalog#pri-ce()': the method name 'pri-ce' holds '-', which"
            + " cannot be in a method name" + expected);
  }

  @Test
  void aPatternThatCanNameSeveralMethodsKeepsAKeySpacePerMethod() {
    assertThat(MethodPattern.parse("com.acme.Catalog#price(java.lang.String)").mayMatchSeveralMethods()).isFalse();
    assertThat(MethodPattern.parse("com.acme.Repo+#find(long)").mayMatchSeveralMethods()).isFalse();
    assertThat(MethodPattern.parse("com.acme.Catalog#price(..)").mayMatchSeveralMethods()).isTrue();
    assertThat(MethodPattern.parse("com.acme.Catalog#find*(long)").mayMatchSeveralMethods()).isTrue();
    assertThat(MethodPattern.parse("com.acme.*Repo#find(long)").mayMatchSeveralMethods()).isTrue();
  }

  @Test
  void aKeySpaceNamesTheTypeOnlyWhenThePatternDoesNotIncludeSubtypes() {
    List<String> params = List.of("long");

    assertThat(MethodPattern.parse("com.acme.*Repo#find(..)").keySpaceOf("com.acme.UserRepo", "find", params))
        .isEqualTo("com.acme.UserRepo#find(long)");
    assertThat(MethodPattern.parse("com.acme.Repo+#find(..)").keySpaceOf("com.sun.proxy.$Proxy12", "find", params))
        .as("a proxy, an implementation and the interface are one method").isEqualTo("find(long)");
    assertThat(MethodPattern.parse("com.acme.Catalog#price(..)")
        .keySpaceOf("com.acme.Catalog", "price", List.of("java.lang.String", "int")))
        .isEqualTo("price(java.lang.String,int)").doesNotContain(":");
  }
}
