package dev.tieredcache.springapp;

import org.springframework.data.repository.CrudRepository;

/** A Spring Data repository: at run time a JDK proxy of this interface, backed by Hibernate on H2. */
public interface ProductRepository extends CrudRepository<Product, String> {}
