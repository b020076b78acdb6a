package io.hare.sample.delay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListener;
import io.hare.retry.RetryBackoff;

import org.springframework.stereotype.Component;

/**
 * Hands orders to a carrier that is busy for the first two attempts of each, so every shipment
 * is retried after 1 s, then 2 s (each ±10%), waiting in Hare's delay levels.
 */
@Component
public class ShippingListener {

	private static final Log logger = LogFactory.getLog(ShippingListener.class);

	private final Map<Long, List<Instant>> attempts = new ConcurrentHashMap<>();

	@HareListener(id = "shipping", queue = "${sample.prefix:sample}.shipping",
			exchange = "${sample.prefix:sample}.shop", routingKey = "order.ship", retryLimit = 5,
			backoff = RetryBackoff.EXPONENTIAL, backoffInitial = "1s", backoffMultiplier = "2", backoffMax = "30s",
			backoffJitter = "0.1")
	void onShipment(ShipmentRequested shipment) {
		List<Instant> times = this.attempts.computeIfAbsent(shipment.orderId(),
				(id) -> new CopyOnWriteArrayList<>());
		times.add(Instant.now());
		if (times.size() <= 2) {
			throw new IllegalStateException("Carrier busy for order " + shipment.orderId());
		}
		logger.info("Order " + shipment.orderId() + " shipped at attempt " + times.size());
	}

	/**
	 * Return the time of each attempt to ship each order.
	 * @return the attempts, by order
	 */
	public Map<Long, List<Instant>> attempts() {
		return Map.copyOf(this.attempts);
	}

}
