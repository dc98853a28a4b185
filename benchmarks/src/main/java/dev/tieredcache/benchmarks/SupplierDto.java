package dev.tieredcache.benchmarks;

import java.io.Serializable;
import java.util.Objects;

/** The supplier nested in a {@link ProductDto}. */
public final class SupplierDto implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final String country;

  public SupplierDto(String name, String country) {
    this.name = name;
    this.country = country;
  }

  public String name() { return name; }
  public String country() { return country; }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SupplierDto)) {
      return false;
    }
    SupplierDto other = (SupplierDto) o;
    return name.equals(other.name) && country.equals(other.country);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, country);
  }
}
