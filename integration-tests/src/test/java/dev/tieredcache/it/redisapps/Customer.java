package dev.tieredcache.it.redisapps;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host's domain class looks like when nobody planned for caching it: not {@code Serializable}, no no-arg
 * constructor, final fields, a nested plain class, an enum, an immutable list, an {@code Optional}.
 */
public final class Customer {

  private final String id;
  private final String name;
  private final Address address;
  private final Loyalty loyalty;
  private final List<String> tags;
  private final Instant since;
  private final BigDecimal credit;
  private final Optional<String> nickname;
  private final int visits;

  public Customer(String id, String name, Address address, Loyalty loyalty, List<String> tags, Instant since,
      BigDecimal credit, Optional<String> nickname, int visits) {
    this.id = id;
    this.name = name;
    this.address = address;
    this.loyalty = loyalty;
    this.tags = tags;
    this.since = since;
    this.credit = credit;
    this.nickname = nickname;
    this.visits = visits;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Customer)) {
      return false;
    }
    Customer c = (Customer) o;
    return id.equals(c.id) && name.equals(c.name) && address.equals(c.address) && loyalty == c.loyalty
        && tags.equals(c.tags) && since.equals(c.since) && credit.equals(c.credit) && nickname.equals(c.nickname)
        && visits == c.visits;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, address, loyalty, tags, since, credit, nickname, visits);
  }

  @Override
  public String toString() {
    return "Customer{id=" + id + ", name=" + name + ", address=" + address + ", loyalty=" + loyalty + ", tags="
        + tags + " (" + tags.getClass().getName() + "), since=" + since + ", credit=" + credit + ", nickname="
        + nickname + ", visits=" + visits + "}";
  }
}
