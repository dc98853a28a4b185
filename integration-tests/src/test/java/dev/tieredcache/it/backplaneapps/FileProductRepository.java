package dev.tieredcache.it.backplaneapps;

import dev.tieredcache.it.apps.Product;
import dev.tieredcache.it.apps.ProductRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The database that every JVM of a scenario shares: one file per product, named after its id and holding its name,
 * in a directory all of them can read and write.
 */
public final class FileProductRepository implements ProductRepository {

  /** Calls that reached {@link #findById}'s body in this JVM. */
  public static final AtomicInteger FIND_CALLS = new AtomicInteger();

  private final Path directory;

  public FileProductRepository(Path directory) {
    this.directory = directory;
  }

  /** Writes a product row; how the test sets up the table before the JVMs start. */
  public static void write(Path directory, Product product) {
    try {
      Files.createDirectories(directory);
      Path temporary = directory.resolve(product.getId() + ".tmp");
      Files.write(temporary, product.getName().getBytes(StandardCharsets.UTF_8));
      // atomic, so a JVM reading at the same time sees the old name or the new one
      Files.move(temporary, directory.resolve(product.getId()), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write product " + product.getId() + " to " + directory, e);
    }
  }

  @Override
  public Product findById(String id) {
    FIND_CALLS.incrementAndGet();
    Path row = directory.resolve(id);
    try {
      return Files.exists(row) ? new Product(id, new String(Files.readAllBytes(row), StandardCharsets.UTF_8)) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read product " + id + " from " + directory, e);
    }
  }

  @Override
  public Product save(Product product) {
    write(directory, product);
    return product;
  }

  @Override
  public List<Product> saveAll(List<Product> products) {
    for (Product product : products) {
      save(product);
    }
    return products;
  }
}
