package dev.tieredcache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The same upstream as {@link BenchCatalog}, cached the way a Spring application does it: {@code @Cacheable} on a
 * bean, a {@link CaffeineCacheManager} with the same bound and ttl as the agent's rule. No rule of the agent names it.
 */
public class SpringCatalog {

  /** Counts real calls, so a run can check the hits never reached the body. */
  public static volatile long calls;

  @Cacheable("prices")
  public String price(String sku) {
    calls++;
    return "price-of-" + sku;
  }

  /** The Spring configuration of the benchmark: caching on, Caffeine behind it. */
  @Configuration
  @EnableCaching
  public static class Config {

    @Bean
    public CaffeineCacheManager cacheManager() {
      CaffeineCacheManager manager = new CaffeineCacheManager("prices");
      manager.setCaffeine(Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)));
      return manager;
    }

    @Bean
    public SpringCatalog springCatalog() {
      return new SpringCatalog();
    }
  }
}
