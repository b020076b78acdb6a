package io.hare.sample;

/**
 * An order was placed.
 *
 * @param orderId the order
 * @param item what was ordered
 * @param quantity how many
 */
public record OrderCreated(long orderId, String item, int quantity) {
}
