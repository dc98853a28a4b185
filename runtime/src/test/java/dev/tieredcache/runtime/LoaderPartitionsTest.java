package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
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

  private static ClassLoader webAppLoader(String name) {
    return new URLClassLoader(name, new URL[0], LoaderPartitionsTest.class.getClassLoader());
  }

  @Test
  void theJvmsOwnLoadersShareTheRuleItself() {
    assertThat(rule.partitionFor(null)).isSameAs(rule);
    assertThat(rule.partitionFor(ClassLoader.getPlatformClassLoader())).isSameAs(rule);
    assertThat(rule.partitionFor(ClassLoader.getSystemClassLoader())).isSameAs(rule);
  }

  @Test
  void eachOtherLoaderGetsAPartitionOfItsOwnWhoseValuesNoOtherLoaderSees() throws Throwable {
    ClassLoader first = webAppLoader("webapp-1");
    ClassLoader second = webAppLoader("webapp-2");
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
    ClassLoader webApp = webAppLoader("webapp-1");
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

    for (int i = 0; i < 100 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }

    assertThat(loader.get()).as("the dropped loader").isNull();
    assertThat(rule.memorySize()).isZero();
  }

  private WeakReference<ClassLoader> partitionWithAValue() throws Throwable {
    ClassLoader webApp = webAppLoader("webapp-1");
    new CallSite(rule.partitionFor(webApp), new ScriptedUpstream()).call("k");
    assertThat(rule.memorySize()).isEqualTo(1);
    return new WeakReference<>(webApp);
  }

  @Test
  void aRuleThatReplacesAnotherTakesOverItsPartitions() throws Throwable {
    ClassLoader webApp = webAppLoader("webapp-1");
    ScriptedUpstream method = new ScriptedUpstream();
    RuleCache before = rule.partitionFor(webApp);
    new CallSite(before, method).call("k");

    RuleCache replaced = fixture.cache.replaceRules(
        List.of(CacheFixture.policy().ttl(Duration.ofSeconds(20)).build()), Set.of("r")).get("r");
    assertThat(replaced.memorySize()).as("entries of the replaced rule's partition").isEqualTo(1);
    replaced.evict("other");
    RuleCache after = replaced.partitionFor(webApp);

    assertThat(after).isNotSameAs(before).isNotSameAs(replaced);
    assertThat(new CallSite(after, method).call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(1);
    assertThat(replaced.memorySize()).isEqualTo(1);
  }
}
