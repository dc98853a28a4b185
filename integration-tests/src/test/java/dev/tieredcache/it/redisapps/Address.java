package dev.tieredcache.it.redisapps;

import java.util.Objects;

/** A plain value class nested in {@link Customer}: final fields, no no-arg constructor, not Serializable. */
public final class Address {

  private final String street;
  private final String city;
  private final int postcode;

  public Address(String street, String city, int postcode) {
    this.street = street;
    this.city = city;
    this.postcode = postcode;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Address)) {
      return false;
    }
    Address a = (Address) o;
    return street.equals(a.street) && city.equals(a.city) && postcode == a.postcode;
  }

  @Override
  public int hashCode() {
    return Objects.hash(street, city, postcode);
  }

  @Override
  public String toString() {
    return "Address{street=" + street + ", city=" + city + ", postcode=" + postcode + "}";
  }
}
