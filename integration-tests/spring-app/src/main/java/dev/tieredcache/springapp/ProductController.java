package dev.tieredcache.springapp;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /products/{id}}: the service's description; the first request reports the process CPU time so far. */
@RestController
public class ProductController {

  private final AtomicBoolean first = new AtomicBoolean(true);
  private final CatalogService catalog;

  public ProductController(CatalogService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/products/{id}")
  public String product(@PathVariable("id") String id) {
    if (first.getAndSet(false)) {
      Report.result("cpuMillisAtFirstRequest", Report.processCpuMillis());
    }
    return catalog.describe(id);
  }
}
