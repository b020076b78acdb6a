package io.hare.sample.orders;

import io.hare.publish.HarePublisher;
import io.hare.publish.PublishRequest;
import io.hare.sample.OrderCreated;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders: stores the order and publishes {@link OrderCreated} in one transaction. With
 * {@code hare.outbox.enabled} the {@code orders} publisher writes the event to the outbox table
 * in that transaction ({@code STORED}) and Hare sends it after the commit: a rolled-back order
 * announces nothing, a committed one is announced even if the broker is down at the time.
 */
@Service
public class OrderService {

	/**
	 * The most items of one order; a larger order is refused after it was stored and its event
	 * published, so that its transaction rolls back both.
	 */
	public static final int MAX_QUANTITY = 100;

	private final OrderRepository orders;

	private final HarePublisher events;

	public OrderService(OrderRepository orders, @Qualifier("orders") HarePublisher events) {
		this.orders = orders;
		this.events = events;
	}

	/**
	 * Place an order.
	 * @param item what is ordered
	 * @param quantity how many, 1 to {@value #MAX_QUANTITY}
	 * @return the order's id
	 * @throws IllegalArgumentException if the quantity is out of range; nothing is stored or sent
	 */
	@Transactional
	public long place(String item, int quantity) {
		long id = this.orders.insert(item, quantity);
		// The message id lets an idempotent consumer recognise the event if it comes twice.
		this.events.publish(PublishRequest.of(new OrderCreated(id, item, quantity)).messageId("order-" + id));
		if (quantity < 1 || quantity > MAX_QUANTITY) {
			throw new IllegalArgumentException("An order has 1 to " + MAX_QUANTITY + " items, not " + quantity);
		}
		return id;
	}

}
