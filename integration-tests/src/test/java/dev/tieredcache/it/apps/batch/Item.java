package dev.tieredcache.it.apps.batch;

/** An element of a batch result: its id is read by the batch rule's key, {@code {id}}. */
public record Item(long id, String name) {}
