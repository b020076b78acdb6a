package io.hare.sample.publish;

import java.math.BigDecimal;

/**
 * A receipt for an order; its order id is its deduplication key.
 *
 * @param orderId the order
 * @param amount what was paid
 */
public record Receipt(long orderId, BigDecimal amount) {
}
