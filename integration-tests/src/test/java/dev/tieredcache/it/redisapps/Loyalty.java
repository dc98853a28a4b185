package dev.tieredcache.it.redisapps;

/** An enum field of {@link Customer}. */
public enum Loyalty {
  BRONZE, SILVER, GOLD
}
