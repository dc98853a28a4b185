package dev.tieredcache.it.apps;

/** A lookup of two integer parameters behind an interface, as a repository would be. */
public interface Lots {
  String lot(long warehouse, int row);
}
