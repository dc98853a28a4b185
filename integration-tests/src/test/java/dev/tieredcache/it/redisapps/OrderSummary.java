package dev.tieredcache.it.redisapps;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** A record value: decoded through its canonical constructor. */
public record OrderSummary(String customerId, int orders, BigDecimal total, LocalDate lastOrder, List<String> skus) {}
