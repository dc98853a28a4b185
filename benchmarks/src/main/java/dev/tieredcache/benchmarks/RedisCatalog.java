package dev.tieredcache.benchmarks;

/** The upstream of {@link RedisHitBenchmark}: cached in Redis only by benchmarks/redis-hit-rules.yaml. */
public class RedisCatalog {

  /** Counts real calls, so a run can check every call was a Redis hit. */
  public static volatile long calls;

  public ProductDto product(String sku) {
    calls++;
    return ProductDto.sample();
  }
}
