package dev.tieredcache.examples.demo;

import java.math.BigDecimal;
import java.util.Objects;

/** What a product costs. A plain class: the memory tier keeps it as it is, no {@code Serializable} needed. */
public final class Price {

  private final String sku;
  private final BigDecimal amount;
  private final String currency;

  /** Creates a price. */
  public Price(String sku, BigDecimal amount, String currency) {
    this.sku = Objects.requireNonNull(sku, "sku");
    this.amount = Objects.requireNonNull(amount, "amount");
    this.currency = Objects.requireNonNull(currency, "currency");
  }

  /** The product the price is for. */
  public String sku() {
    return sku;
  }

  /** The amount, in {@link #currency()}. */
  public BigDecimal amount() {
    return amount;
  }

  /** The ISO 4217 code of the currency, like {@code EUR}. */
  public String currency() {
    return currency;
  }

  /** Equal when sku, amount (scale included) and currency are. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Price)) {
      return false;
    }
    Price other = (Price) o;
    return sku.equals(other.sku) && amount.equals(other.amount) && currency.equals(other.currency);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sku, amount, currency);
  }

  /** Returns {@code 249.00 EUR}. */
  @Override
  public String toString() {
    return amount.toPlainString() + " " + currency;
  }
}
