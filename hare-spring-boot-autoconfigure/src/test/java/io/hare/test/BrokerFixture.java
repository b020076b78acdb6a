package io.hare.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.delay.DelayTopology;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A test's own view of the broker: unique names it deletes afterwards, publishing with
 * confirms, and inspection of queues.
 */
public final class BrokerFixture implements AutoCloseable {

	private final RabbitBroker broker = RabbitBroker.get();

	private final CachingConnectionFactory connectionFactory = this.broker.connectionFactory();

	private final RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);

	private final RabbitTemplate template = new RabbitTemplate(this.connectionFactory);

	private final List<String> queues = new ArrayList<>();

	private final List<String> exchanges = new ArrayList<>();

	public RabbitBroker broker() {
		return this.broker;
	}

	/**
	 * Return a context runner with Spring Boot's and Hare's core auto-configuration pointed at
	 * this broker, the start of most tests' contexts.
	 * @param autoConfigurations further auto-configurations, such as Hare's publishers or delay
	 * levels
	 * @return the runner
	 */
	public ApplicationContextRunner contextRunner(Class<?>... autoConfigurations) {
		List<Class<?>> classes = new ArrayList<>(List.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class));
		classes.addAll(List.of(autoConfigurations));
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(classes.toArray(Class<?>[]::new)))
			.withPropertyValues(this.broker.springProperties());
	}

	public RabbitAdmin admin() {
		return this.admin;
	}

	public RabbitTemplate template() {
		return this.template;
	}

	/**
	 * Return a unique queue name, deleted with its retry and dead-letter queues at the end.
	 * @param prefix what the name starts with
	 * @return the queue name
	 */
	public String queue(String prefix) {
		return track(uniqueName(prefix));
	}

	/**
	 * Delete a queue of the given name, with its retry and dead-letter queues, at the end.
	 * @param name the queue name
	 * @return the queue name
	 */
	public String track(String name) {
		this.queues.add(name);
		this.queues.add(name + ".delay");
		for (int level = 1; level <= 5; level++) {
			this.queues.add(name + ".delay." + level);
		}
		this.queues.add(name + ".dead");
		return name;
	}

	/**
	 * Delete an exchange of the given name at the end.
	 * @param name the exchange name
	 * @return the exchange name
	 */
	public String trackExchange(String name) {
		this.exchanges.add(name);
		return name;
	}

	/**
	 * Return a unique exchange name, deleted at the end.
	 * @param prefix what the name starts with
	 * @return the exchange name
	 */
	public String exchange(String prefix) {
		return trackExchange(uniqueName(prefix));
	}

	/**
	 * Return a unique name that starts with the given prefix.
	 * @param prefix what the name starts with
	 * @return the name
	 */
	public static String uniqueName(String prefix) {
		return "hare-test-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Publish a JSON body and wait for the broker's confirm.
	 * @param exchange the exchange, empty for the default one
	 * @param routingKey the routing key
	 * @param json the body
	 * @param headers headers to set
	 */
	public void publishJson(String exchange, String routingKey, String json, Map<String, Object> headers) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		headers.forEach(properties::setHeader);
		publish(exchange, routingKey, new Message(json.getBytes(StandardCharsets.UTF_8), properties));
	}

	public void publishJson(String exchange, String routingKey, String json) {
		publishJson(exchange, routingKey, json, Map.of());
	}

	/**
	 * Publish a message and wait for the broker's confirm.
	 * @param exchange the exchange, empty for the default one
	 * @param routingKey the routing key
	 * @param message the message
	 */
	public void publish(String exchange, String routingKey, Message message) {
		CorrelationData correlation = new CorrelationData();
		this.template.send(exchange, routingKey, message, correlation);
		try {
			if (!correlation.getFuture().get(10, TimeUnit.SECONDS).ack()) {
				throw new IllegalStateException("The broker did not confirm a test message");
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Publishing a test message failed", ex);
		}
	}

	/**
	 * Publish a bare body, with no message properties at all, and wait for the broker's
	 * confirm.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param body the body
	 */
	public void publishWithoutProperties(String exchange, String routingKey, byte[] body) {
		try (Connection connection = this.connectionFactory.createConnection();
				Channel channel = connection.createChannel(false)) {
			channel.confirmSelect();
			channel.basicPublish(exchange, routingKey, true, null, body);
			channel.waitForConfirmsOrDie(10_000);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Publishing a bare test message failed", ex);
		}
	}

	/**
	 * Return the number of messages ready in a queue, or -1 if it does not exist.
	 * @param queue the queue
	 * @return the depth
	 */
	public int depth(String queue) {
		Properties properties = this.admin.getQueueProperties(queue);
		return (properties != null) ? ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue() : -1;
	}

	/**
	 * Take one message from a queue, waiting for it a while.
	 * @param queue the queue
	 * @param timeout how long to wait
	 * @return the message, or {@code null}
	 */
	public Message receive(String queue, Duration timeout) {
		return this.template.receive(queue, timeout.toMillis());
	}

	/**
	 * Delete Hare's delay levels under the given prefix at the end.
	 * @param prefix the prefix, {@code hare.delay.prefix}
	 * @return the prefix
	 */
	public String trackDelayLevels(String prefix) {
		DelayTopology topology = new DelayTopology(prefix);
		for (int level = 0; level < DelayTopology.LEVELS; level++) {
			this.queues.add(topology.levelQueue(level));
			this.queues.add(topology.classicLevelQueue(level));
			this.exchanges.add(topology.levelExchange(level));
		}
		this.queues.add(topology.readyQueue());
		this.queues.add(topology.classicReadyQueue());
		this.queues.add(topology.unroutedQueue());
		this.queues.add(topology.classicUnroutedQueue());
		this.exchanges.add(topology.deliveryExchange());
		this.exchanges.add(topology.unrouted());
		return prefix;
	}

	@Override
	public void close() {
		try {
			this.queues.forEach(this.admin::deleteQueue);
			this.exchanges.forEach(this.admin::deleteExchange);
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

}
