package dev.tieredcache.springapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.CommandLineRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The fixed scenario, run once Tomcat listens: one HTTP request, then direct calls of the service and the
 * repository, each step reporting what reached the service bodies and the database.
 */
@Component
public class Scenario implements CommandLineRunner {

  private final CatalogService catalog;
  private final ProductRepository repository;
  private final Environment environment;

  public Scenario(CatalogService catalog, ProductRepository repository, Environment environment) {
    this.catalog = catalog;
    this.repository = repository;
    this.environment = environment;
  }

  @Override
  public void run(String... args) throws Exception {
    repository.save(new Product("p1", "kettle", "kitchen"));
    repository.save(new Product("p2", "teapot", "kitchen"));
    Report.result("repositoryClass", repository.getClass().getName());
    Report.result("serviceClass", catalog.getClass().getName());

    String port = environment.getProperty("local.server.port");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/products/p1")).build(),
        HttpResponse.BodyHandlers.ofString());
    Report.result("httpStatus", response.statusCode());
    Report.result("httpBody", response.body());

    Report.result("describeAgain", catalog.describe("p1"));
    Report.result("describeCalls", CatalogServiceImpl.DESCRIBE_CALLS.get());

    step("findCachedByNestedCall", () -> repository.findById("p1").get().getName());
    step("findOther", () -> repository.findById("p2").get().getName());
    step("findOtherAgain", () -> repository.findById("p2").get().getName());

    repository.save(new Product("p2", "stoneware teapot", "kitchen"));
    step("findAfterSave", () -> repository.findById("p2").get().getName());
    step("findAfterSaveAgain", () -> repository.findById("p2").get().getName());

    // findAllById over the findById entries (a batch rule): p1 and p2 are cached, p3 and an unknown id are not
    repository.save(new Product("p3", "mug", "kitchen"));
    step("findAllById", () -> names(repository.findAllById(List.of("p3", "p1", "nope", "p2"))));
    step("findAllByIdAgain", () -> names(repository.findAllById(List.of("p2", "p3", "nope"))));
    step("findOfBatched", () -> repository.findById("p3").get().getName());
    step("findUnknownOfBatched", () -> repository.findById("nope").isPresent());

    for (int i = 0; i < 3; i++) {
      Report.result("category", catalog.category("p1"));
    }
    Report.result("categoryCalls", CatalogServiceImpl.CATEGORY_CALLS.get());
    Report.result("cpuMillisAtEnd", Report.processCpuMillis());
  }

  private static List<String> names(Iterable<Product> products) {
    List<String> names = new ArrayList<>();
    for (Product p : products) {
      names.add(p.getName());
    }
    return names;
  }

  /** Reports a step's value and how many selects it sent ({@code <name>Selects}). */
  private static void step(String name, Supplier<Object> call) {
    int before = SelectCounter.SELECTS.get();
    Report.result(name, call.get());
    Report.result(name + "Selects", SelectCounter.SELECTS.get() - before);
  }
}
