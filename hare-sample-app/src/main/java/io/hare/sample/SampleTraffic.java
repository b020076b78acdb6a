package io.hare.sample;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;

import io.hare.convert.HareMessageConverter;
import io.hare.sample.orders.OrderService;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Places an order through the {@link OrderService} (whose event goes through the outbox) and
 * publishes a payment every few seconds; every fifth payment has a negative amount and ends in
 * the dead-letter queue.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.traffic.enabled", matchIfMissing = true)
public class SampleTraffic {

	private final RabbitTemplate rabbitTemplate;

	private final HareMessageConverter converter;

	private final String exchange;

	private final OrderService orders;

	private final AtomicLong sequence = new AtomicLong();

	public SampleTraffic(OrderService orders, RabbitTemplate rabbitTemplate, HareMessageConverter converter,
			@Value("${sample.prefix:sample}.shop") String exchange) {
		this.orders = orders;
		this.rabbitTemplate = rabbitTemplate;
		this.converter = converter;
		this.exchange = exchange;
	}

	@Scheduled(initialDelayString = "${sample.traffic.interval:2s}", fixedDelayString = "${sample.traffic.interval:2s}")
	void publish() {
		long id = this.sequence.incrementAndGet();
		this.orders.place("book", 1 + (int) (id % 3));
		BigDecimal amount = (id % 5 == 0) ? BigDecimal.valueOf(-1) : BigDecimal.valueOf(10 * id);
		send("payment.requested", new PaymentRequested(id, id, amount));
	}

	private void send(String routingKey, Object payload) {
		this.rabbitTemplate.send(this.exchange, routingKey, this.converter.toMessage(payload, new MessageProperties()));
	}

}
