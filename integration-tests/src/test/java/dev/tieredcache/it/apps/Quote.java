package dev.tieredcache.it.apps;

/** What {@link QuoteService} completes its futures with: a record, so the codec must know it from the type argument. */
public record Quote(String sku, long cents, String version) {}
