package io.hare.sample.streams;

/**
 * Something that happened to an order, appended to the {@code domain-events} stream.
 *
 * @param orderId the order
 * @param type what happened; {@code garbled} is refused by the audit trail
 */
public record DomainEvent(long orderId, String type) {
}
