package dev.tieredcache.benchmarks;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A typical cached value, as a JSON mapper or an ORM would hand it over: scalars, a ~100-character text, a
 * decimal, an enum, an instant, a list, a map and a nested object. {@code Serializable} only so that JDK
 * serialization can be measured on the very same object; the codec does not need it.
 */
public final class ProductDto implements Serializable {

  private static final long serialVersionUID = 1L;

  private final long id;
  private final String name;
  private final String description;
  private final BigDecimal price;
  private final ProductStatus status;
  private final Instant updatedAt;
  private final List<String> tags;
  private final Map<String, String> attributes;
  private final SupplierDto supplier;

  public ProductDto(long id, String name, String description, BigDecimal price, ProductStatus status,
      Instant updatedAt, List<String> tags, Map<String, String> attributes, SupplierDto supplier) {
    this.id = id;
    this.name = name;
    this.description = description;
    this.price = price;
    this.status = status;
    this.updatedAt = updatedAt;
    this.tags = tags;
    this.attributes = attributes;
    this.supplier = supplier;
  }

  /**
   * The product every codec benchmark and {@link CodecSizeReport} measure: a 100-character description, 5 tags
   * in an {@code ArrayList} and 5 attributes in a {@code LinkedHashMap}, all ASCII.
   */
  public static ProductDto sample() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("color", "graphite");
    attributes.put("material", "aluminium");
    attributes.put("weight", "1.2 kg");
    attributes.put("warranty", "24 months");
    attributes.put("origin", "PT");
    return new ProductDto(
        1_234_567L,
        "Trail running backpack 12 L",
        "Light 12-litre running vest with two soft flasks, a rain cover and reflective trim for evening runs.",
        new BigDecimal("89.95"),
        ProductStatus.ACTIVE,
        Instant.parse("2025-11-20T14:03:27.512Z"),
        new ArrayList<>(Arrays.asList("running", "outdoor", "hydration", "backpack", "lightweight")),
        attributes,
        new SupplierDto("Serra Outdoor Lda", "Portugal"));
  }

  public long id() { return id; }
  public String name() { return name; }
  public String description() { return description; }
  public BigDecimal price() { return price; }
  public ProductStatus status() { return status; }
  public Instant updatedAt() { return updatedAt; }
  public List<String> tags() { return tags; }
  public Map<String, String> attributes() { return attributes; }
  public SupplierDto supplier() { return supplier; }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProductDto)) {
      return false;
    }
    ProductDto other = (ProductDto) o;
    return id == other.id && name.equals(other.name) && description.equals(other.description)
        && price.equals(other.price) && status == other.status && updatedAt.equals(other.updatedAt)
        && tags.equals(other.tags) && attributes.equals(other.attributes) && supplier.equals(other.supplier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, description, price, status, updatedAt, tags, attributes, supplier);
  }
}
