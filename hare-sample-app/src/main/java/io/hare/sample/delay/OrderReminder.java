package io.hare.sample.delay;

import java.time.Instant;

/**
 * A reminder about an order, to be handled when it is due.
 *
 * @param orderId the order
 * @param due when the reminder was asked for
 */
public record OrderReminder(long orderId, Instant due) {
}
