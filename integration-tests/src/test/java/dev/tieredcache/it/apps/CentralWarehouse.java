package dev.tieredcache.it.apps;

/** Inherits {@link Warehouse#location} unchanged. */
public class CentralWarehouse extends Warehouse {

  @Override
  protected String site() {
    return "central";
  }
}
