package io.hare.sample;

import java.math.BigDecimal;

/**
 * A payment should be taken.
 *
 * @param paymentId the payment
 * @param orderId the order it pays for
 * @param amount the amount; a negative one is refused by the payment listener
 */
public record PaymentRequested(long paymentId, long orderId, BigDecimal amount) {
}
