package io.hare.delay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.hare.test.RabbitBroker;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Consumes a queue and records each message with the time it arrived.
 */
final class Arrivals implements AutoCloseable {

	private final CachingConnectionFactory connectionFactory = RabbitBroker.get().connectionFactory();

	private final SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(
			this.connectionFactory);

	private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

	Arrivals(String queue) {
		this.container.setQueueNames(queue);
		this.container.setMessageListener((Message message) -> this.arrivals.add(new Arrival(Instant.now(), message)));
		this.container.afterPropertiesSet();
		this.container.start();
	}

	List<Arrival> all() {
		return this.arrivals;
	}

	int count() {
		return this.arrivals.size();
	}

	List<String> bodies() {
		return this.arrivals.stream().map(Arrival::body).toList();
	}

	@Override
	public void close() {
		try {
			this.container.destroy();
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

	record Arrival(Instant at, Message message) {

		String body() {
			return new String(this.message.getBody(), StandardCharsets.UTF_8);
		}

	}

}
