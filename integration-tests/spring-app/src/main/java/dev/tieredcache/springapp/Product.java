package dev.tieredcache.springapp;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A row of the products table. */
@Entity
public class Product {

  @Id
  private String id;
  private String name;
  private String category;

  protected Product() {}

  public Product(String id, String name, String category) {
    this.id = id;
    this.name = name;
    this.category = category;
  }

  public String getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getCategory() {
    return category;
  }

  @Override
  public String toString() {
    return "Product[" + id + ", " + name + ", " + category + "]";
  }
}
