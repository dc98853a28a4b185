package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.keyspaces.KeySpacesApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4 "Keys": a rule whose pattern matches several methods keeps one key space per method. Before, two
 * methods of one rule shared keys, and the second got the first one's value: a ClassCastException in the host.
 */
class KeySpacesTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void methodsOfOneRuleNeverShareValues(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: find",
            "    method: dev.tieredcache.it.apps.keyspaces.*Repo#find(..)")
        .run(KeySpacesApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("failures")).as(run.context("exceptions in the host")).isEmpty();
    for (int round = 0; round < 2; round++) {
      assertThat(run.result("user" + round)).as(run.context("UserRepo.find(7)")).isEqualTo("user-7");
      assertThat(run.result("orders" + round)).as(run.context("OrderRepo.find(7)"))
          .isEqualTo("order-7-a|order-7-b");
      assertThat(run.result("ordersByName" + round)).as(run.context("OrderRepo.find(\"7\")"))
          .isEqualTo("order-of-7");
    }
    assertThat(run.longResult("userCalls")).as(run.context("UserRepo loads")).isEqualTo(1);
    assertThat(run.longResult("orderCalls")).as(run.context("OrderRepo loads (two overloads)")).isEqualTo(2);
  }
}
