package dev.tieredcache.runtime.model;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets {@code -Dmodel.tries=N} replace a property's {@code tries}, so a long run (100,000 sequences and more) is one
 * command line while {@code mvn verify} keeps the short default.
 */
public final class TriesFromSystemProperty implements AroundPropertyHook {

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    String tries = System.getProperty("model.tries");
    if (tries != null && !tries.isBlank()) {
      context.attributes().setTries(Integer.parseInt(tries.trim()));
    }
    return property.execute();
  }
}
