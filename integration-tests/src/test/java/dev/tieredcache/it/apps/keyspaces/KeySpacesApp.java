package dev.tieredcache.it.apps.keyspaces;

import dev.tieredcache.it.apps.Report;
import java.util.List;

/**
 * One rule, {@code *Repo#find(..)}, over two classes whose {@code find(long)} return different types, called with
 * the same id twice each: every call must get its own method's value, each method loading once.
 */
public final class KeySpacesApp {

  public static void main(String[] args) {
    UserRepo users = new UserRepo();
    OrderRepo orders = new OrderRepo();
    String failures = "";
    try {
      for (int round = 0; round < 2; round++) {
        String user = users.find(7);
        List<String> ordersOf7 = orders.find(7);
        List<String> ordersOfAnn = orders.find("7");
        Report.result("user" + round, user);
        Report.result("orders" + round, String.join("|", ordersOf7));
        Report.result("ordersByName" + round, String.join("|", ordersOfAnn));
      }
    } catch (RuntimeException e) {
      failures = e.toString();
    }
    Report.result("failures", failures);
    Report.result("userCalls", UserRepo.CALLS.get());
    Report.result("orderCalls", OrderRepo.CALLS.get());
  }
}
