package dev.tieredcache.springapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small Spring Boot application for the forked-JVM tests and the start-up benchmark: web (Tomcat on a free port),
 * Spring Data JPA on in-memory H2 behind a JDK-proxy repository, a {@code @Service} behind an interface, its own
 * {@code @Cacheable} on the simple cache manager, and logging. {@link Scenario} runs once the server is up, prints
 * {@code RESULT name=value} lines, and the JVM then exits.
 */
@SpringBootApplication
@EnableCaching
public class SpringApp {

  public static void main(String[] args) {
    ConfigurableApplicationContext context = SpringApplication.run(SpringApp.class, args);
    System.exit(SpringApplication.exit(context));
  }
}
