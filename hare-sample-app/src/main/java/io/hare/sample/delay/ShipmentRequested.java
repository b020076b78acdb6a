package io.hare.sample.delay;

/**
 * An order should be handed to the carrier.
 *
 * @param orderId the order
 */
public record ShipmentRequested(long orderId) {
}
