package dev.tieredcache.it.redisapps;

/** A polymorphic return type: the rule that caches it lists its implementation under {@code allow-types:}. */
public interface Notice {
  String text();
}
