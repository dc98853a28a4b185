package dev.tieredcache.springapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small Spring Boot application for the forked-JVM tests and the start-up benchmark: web (Tomcat on a free port),
 * Spring Data JPA on in-memory H2 behind a JDK-proxy repository, a {@code @Service} behind an interface, its own
 * {@code @Cacheable} on Caffeine, the actuator with Micrometer (Prometheus registry), and logging. {@link Scenario}
 * runs once the server is up and prints {@code RESULT name=value} lines; the JVM then exits, or with
 * {@code --app.serve-until-exit=true} serves HTTP until a line {@code exit} comes on its standard input.
 */
@SpringBootApplication
@EnableCaching
public class SpringApp {

  /** The property that keeps the app serving HTTP after the scenario, until {@code exit} (or end of input). */
  static final String SERVE_PROPERTY = "app.serve-until-exit";

  public static void main(String[] args) throws IOException {
    ConfigurableApplicationContext context = SpringApplication.run(SpringApp.class, args);
    if (context.getEnvironment().getProperty(SERVE_PROPERTY, Boolean.class, false)) {
      Report.result("serving", context.getEnvironment().getProperty("local.server.port"));
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
        // only exit is understood
      }
    }
    System.exit(SpringApplication.exit(context));
  }
}
