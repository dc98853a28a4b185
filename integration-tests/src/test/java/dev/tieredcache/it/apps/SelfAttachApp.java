package dev.tieredcache.it.apps;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a price, then attaches the agent jar ({@code args[0]}) to its own JVM, which already runs the agent, with
 * another rules file ({@code args[1]}), and calls again. Needs {@code -Djdk.attach.allowAttachSelf=true}.
 */
public final class SelfAttachApp {

  public static void main(String[] args) throws Exception {
    SlowCatalog catalog = new SlowCatalog();
    Report.result("first", catalog.price("sku-1"));
    VirtualMachine self = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
    try {
      self.loadAgent(args[0], args[1]);
      Report.result("attach", "returned");
    } finally {
      self.detach();
    }
    Report.result("second", catalog.price("sku-1"));
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
  }
}
