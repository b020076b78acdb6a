package io.hare.sample.publish;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListener;

import org.springframework.stereotype.Component;

/**
 * Files receipts, counting any order that arrives twice (none should).
 */
@Component
public class ReceiptListener {

	private static final Log logger = LogFactory.getLog(ReceiptListener.class);

	private final Set<Long> orders = ConcurrentHashMap.newKeySet();

	private final AtomicLong received = new AtomicLong();

	@HareListener(id = "receipts", queue = "${sample.prefix:sample}.receipts",
			exchange = "${sample.prefix:sample}.shop", routingKey = "receipt.issued")
	void onReceipt(Receipt receipt) {
		this.received.incrementAndGet();
		if (!this.orders.add(receipt.orderId())) {
			logger.warn("Receipt for order " + receipt.orderId() + " arrived twice");
		}
	}

	public long received() {
		return this.received.get();
	}

	public long distinctOrders() {
		return this.orders.size();
	}

}
