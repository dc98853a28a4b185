package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rule's partitions per class loader (issue 9, redeploys): the JVM's own loaders share the rule, any other loader
 * gets a partition of its own whose values no other loader sees; evictions of every kind reach every partition; the
 * rule holds partitions only weakly; replaced rules hand their partitions on.
 */
class LoaderPartitionsTest {

  private final CacheFixture fixture = new CacheFixture();
  private final RuleCache rule = fixture.rule(CacheFixture.policy().ttl(Duration.ofSeconds(10)));

  @AfterEach
  void close() {
    fixture.close();
  }

  /** A class of the web application, defined anew by a loader of its own named {@code name}. */
  private static Class<?> webAppClass(String name) {
    return new WebAppLoader(name).define(Servlet.class);
  }

  /** The class a web application's cached method would be declared in. */
  static final class Servlet {}

  /** Defines copies of classes of the test class path, as a web application's loader defines its own classes. */
  private static final class WebAppLoader extends ClassLoader {
    WebAppLoader(String name) {
      super(name, LoaderPartitionsTest.class.getClassLoader());
    }

    Class<?> define(Class<?> model) {
      String file = model.getName().replace('.', '/') + ".class";
      try (InputStream in = getParent().getResourceAsStream(file)) {
        byte[] bytes = in.readAllBytes();
        return defineClass(model.getName(), bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void theJvmsOwnLoadersShareTheRuleItself() {
    assertThat(rule.partitionFor(String.class)).isSameAs(rule);
    assertThat(rule.partitionFor(java.sql.Date.class)).isSameAs(rule);
    assertThat(rule.partitionFor(Servlet.class)).isSameAs(rule);
  }

  @Test
  void eachOtherLoaderGetsAPartitionOfItsOwnWhoseValuesNoOtherLoaderSees() throws Throwable {
    Class<?> first = webAppClass("webapp-1");
    Class<?> second = webAppClass("webapp-2");
    RuleCache firstPartition = rule.partitionFor(first);
    RuleCache secondPartition = rule.partitionFor(second);
    ScriptedUpstream method = new ScriptedUpstream();

    assertThat(firstPartition).isNotSameAs(rule).isNotSameAs(secondPartition);
    assertThat(rule.partitionFor(first)).isSameAs(firstPartition);
    assertThat(new CallSite(firstPartition, method).call("k")).isEqualTo("v1");
    assertThat(new CallSite(secondPartition, method).call("k")).isEqualTo("v2");
    assertThat(new CallSite(rule, method).call("k")).isEqualTo("v3");
    assertThat(new CallSite(firstPartition, method).call("k")).isEqualTo("v1");
    assertThat(new CallSite(secondPartition, method).call("k")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(3);
    assertThat(rule.memorySize()).isEqualTo(3);
    assertThat(rule.metrics().freshHits()).isEqualTo(2);
  }

  @Test
  void evictsClearsAndBackplaneMessagesReachEveryPartition() throws Throwable {
    Class<?> webApp = webAppClass("webapp-1");
    RuleCache partition = rule.partitionFor(webApp);
    ScriptedUpstream method = new ScriptedUpstream();
    CallSite inPartition = new CallSite(partition, method);
    CallSite inRule = new CallSite(rule, method);

    inPartition.call("a");
    inRule.call("a");
    rule.evict("a");
    assertThat(partition.peek("a")).isNull();
    assertThat(rule.peek("a")).isNull();

    inPartition.call("b");
    inRule.call("b");
    rule.evictAll();
    assertThat(partition.peek("b")).isNull();
    assertThat(rule.peek("b")).isNull();

    inPartition.call("c");
    inRule.call("c");
    rule.applyRemote(new BackplaneMessage.Entry(BackplaneMessage.Action.EVICT, fixture.clock.millis(), "r", "c"));
    assertThat(partition.peek("c")).isNull();
    assertThat(rule.peek("c")).isNull();

    inPartition.call("d");
    partition.evict("d");
    assertThat(partition.peek("d")).isNull();
    assertThat(rule.memorySize()).isZero();
  }

  @Test
  void theRuleHoldsAPartitionOnlyWeaklySoADroppedLoaderGoesWithItsValues() throws Throwable {
    WeakReference<ClassLoader> loader = partitionWithAValue();
    System.gc();
    assertThat(loader.get()).as("the loader, while the rule holds its partition's value").isNotNull();
    servlet = null;

    for (int i = 0; i < 100 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }

    assertThat(loader.get()).as("the dropped loader").isNull();
    assertThat(rule.memorySize()).isZero();
  }

  /** Where the web application's class is kept until the test drops it. */
  private Class<?> servlet;

  private WeakReference<ClassLoader> partitionWithAValue() throws Throwable {
    Class<?> webApp = webAppClass("webapp-1");
    servlet = webApp;
    // the value is an instance of the loader's class, as a web application's values are
    new CallSite(rule.partitionFor(webApp), new ScriptedUpstream().behave((n, r, a) -> webApp)).call("k");
    assertThat(rule.memorySize()).isEqualTo(1);
    return new WeakReference<>(webApp.getClassLoader());
  }

  @Test
  void aRuleThatReplacesAnotherTakesOverItsPartitions() throws Throwable {
    Class<?> webApp = webAppClass("webapp-1");
    ScriptedUpstream method = new ScriptedUpstream();
    RuleCache before = rule.partitionFor(webApp);
    new CallSite(before, method).call("k");

    RuleCache replaced = fixture.cache.replaceRules(
        List.of(CacheFixture.policy().ttl(Duration.ofSeconds(20)).build()), Set.of("r")).get("r");
    assertThat(replaced.memorySize()).as("entries of the replaced rule's partition").isEqualTo(1);
    replaced.evict("other");
    // until the next call of the class takes the partition over, the class alone keeps it
    before = null;
    System.gc();
    RuleCache after = replaced.partitionFor(webApp);

    assertThat(after).isNotSameAs(replaced);
    assertThat(new CallSite(after, method).call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(1);
    assertThat(replaced.memorySize()).isEqualTo(1);
  }
}
