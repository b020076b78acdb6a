package io.hare.sample;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListener;

import org.springframework.stereotype.Component;

/**
 * Handles orders: a fixed delay between retries, which orders never need.
 */
@Component
public class OrderListener {

	private static final Log logger = LogFactory.getLog(OrderListener.class);

	private final AtomicLong handled = new AtomicLong();

	private final Set<Long> orderIds = ConcurrentHashMap.newKeySet();

	@HareListener(id = "orders", queue = "${sample.prefix:sample}.orders", exchange = "${sample.prefix:sample}.shop",
			routingKey = "order.created", retryLimit = 3, delay = "5s")
	void onOrder(OrderCreated order) {
		logger.info("Order " + order.orderId() + ": " + order.quantity() + " x " + order.item());
		this.orderIds.add(order.orderId());
		this.handled.incrementAndGet();
	}

	/**
	 * Return whether an order's event was handled.
	 * @param orderId the order
	 * @return whether it was
	 */
	public boolean hasHandled(long orderId) {
		return this.orderIds.contains(orderId);
	}

	public long handled() {
		return this.handled.get();
	}

}
