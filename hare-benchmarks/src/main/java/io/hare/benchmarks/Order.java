package io.hare.benchmarks;

/**
 * The message every scenario sends: an order as JSON, padded by its note to the payload size.
 *
 * @param id the message's number within its round, which the probes key attempts by
 * @param createdAt when it was made, in epoch milliseconds
 * @param customer who ordered
 * @param note padding
 */
public record Order(long id, long createdAt, String customer, String note) {
}
