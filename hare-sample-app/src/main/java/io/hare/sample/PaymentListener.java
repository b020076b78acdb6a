package io.hare.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListener;

import org.springframework.stereotype.Component;

/**
 * Takes payments: refuses negative amounts on every attempt, so they climb the retry cascade
 * and land in the dead-letter queue with the reason in their headers.
 */
@Component
public class PaymentListener {

	private static final Log logger = LogFactory.getLog(PaymentListener.class);

	private final AtomicLong taken = new AtomicLong();

	@HareListener(id = "payments", queue = "${sample.prefix:sample}.payments",
			exchange = "${sample.prefix:sample}.shop", routingKey = "payment.requested", retryLimit = 3,
			delays = { "1s", "5s", "10s" })
	void onPayment(PaymentRequested payment) {
		if (payment.amount().signum() < 0) {
			throw new IllegalStateException("Payment " + payment.paymentId() + " has a negative amount");
		}
		logger.info("Payment " + payment.paymentId() + " of " + payment.amount() + " taken");
		this.taken.incrementAndGet();
	}

	public long taken() {
		return this.taken.get();
	}

}
