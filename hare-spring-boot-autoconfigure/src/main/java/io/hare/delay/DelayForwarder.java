package io.hare.delay;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.support.ConfirmedSend;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.AmqpNackReceivedException;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.util.Assert;

/**
 * Consumes the ready queue of the delay levels and publishes each due message to its
 * exchange with its routing key, from its headers.
 * <p>
 * Bindings alone can hand a due message to a queue, but not to an exchange with another
 * routing key than the one that carried it through the levels: that takes a publish. The
 * forwarder acks a message only after the broker confirmed its copy, so a message is never
 * lost and, if the forwarder stops between the two, published twice (at least once). A
 * destination that does not exist or routes the message nowhere would drop it: the forwarder
 * moves it to the unrouted queue instead, with the reason in a header.
 */
final class DelayForwarder implements MessageListener {

	private static final Log logger = LogFactory.getLog(DelayForwarder.class);

	private final String connectionName;

	private final DelayTopology topology;

	private final RabbitTemplate template;

	private final Duration confirmTimeout;

	/**
	 * Create a forwarder.
	 * @param connectionName the connection's name, for messages
	 * @param topology the delay levels
	 * @param template a mandatory template on a connection with correlated confirms and returns
	 * @param confirmTimeout how long to wait for the broker's confirm
	 */
	DelayForwarder(String connectionName, DelayTopology topology, RabbitTemplate template,
			Duration confirmTimeout) {
		Assert.notNull(topology, "'topology' must not be null");
		Assert.notNull(template, "'template' must not be null");
		Assert.isTrue(template.isMandatoryFor(new Message(new byte[0])), "'template' must be mandatory");
		this.connectionName = connectionName;
		this.topology = topology;
		this.template = template;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Create the container that runs this forwarder on the ready queue, not started.
	 * @param connectionFactory the connection factory
	 * @param admin the connection's admin, which declares the ready queue again if missing
	 * @param concurrency the number of consumers
	 * @param prefetch the prefetch count, or {@code null} for Spring AMQP's default
	 * @return the container
	 */
	public SimpleMessageListenerContainer createContainer(ConnectionFactory connectionFactory, RabbitAdmin admin,
			int concurrency, @Nullable Integer prefetch) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(this.topology.readyQueue());
		container.setConcurrentConsumers(concurrency);
		if (prefetch != null) {
			container.setPrefetchCount(prefetch);
		}
		// AUTO: acked when onMessage returns, which is after the copy was confirmed; requeued
		// when it throws.
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setDefaultRequeueRejected(true);
		container.setMissingQueuesFatal(false);
		container.setAmqpAdmin(admin);
		container.setMessageListener(this);
		container.setBeanName("hare-delay-forwarder-" + this.connectionName);
		container.setAutoStartup(false);
		container.afterPropertiesSet();
		return container;
	}

	@Override
	public void onMessage(Message message) {
		MessageProperties properties = message.getMessageProperties();
		Object exchange = properties.getHeader(DelayHeaders.EXCHANGE);
		Object routingKey = properties.getHeader(DelayHeaders.ROUTING_KEY);
		if (exchange == null || routingKey == null) {
			park(message, "no " + DelayHeaders.EXCHANGE + " or " + DelayHeaders.ROUTING_KEY + " header");
			return;
		}
		ConfirmedSend.Outcome outcome = ConfirmedSend.send(this.template, ConfirmType.CORRELATED, this.confirmTimeout,
				exchange.toString(), routingKey.toString(), forwardCopy(message));
		if (outcome.confirmed()) {
			return;
		}
		if (outcome.returned() != null) {
			park(message, "exchange '" + exchange + "' with routing key '" + routingKey + "' "
					+ outcome.describe());
			return;
		}
		if (outcome.noSuchExchange() || ConfirmedSend.exchangeMissing(this.template, exchange.toString())) {
			park(message, "exchange '" + exchange + "' does not exist (404 NOT_FOUND)");
			return;
		}
		throw new AmqpNackReceivedException("Hare's delay forwarder could not publish a due message to exchange '"
				+ exchange + "': " + outcome.describe() + "; it is requeued", message);
	}

	/**
	 * The copy drops what the trip through the levels added: dead-lettering wrote a death for
	 * each level, which would read as failures to whoever consumes it.
	 */
	private Message forwardCopy(Message message) {
		Message copy = MessageBuilder.fromMessage(message).build();
		MessageProperties properties = copy.getMessageProperties();
		DelayedMessage.removeLevelDeaths(this.topology, properties);
		Object expiration = properties.getHeaders().remove(DelayHeaders.EXPIRATION);
		if (expiration != null) {
			properties.setExpiration(expiration.toString());
		}
		return copy;
	}

	/**
	 * Keep a message that cannot be delivered in the unrouted queue rather than drop it.
	 */
	private void park(Message message, String reason) {
		Message copy = MessageBuilder.fromMessage(message).setHeader(DelayHeaders.UNROUTABLE, reason).build();
		ConfirmedSend.Outcome outcome = ConfirmedSend.send(this.template, ConfirmType.CORRELATED, this.confirmTimeout,
				"", this.topology.unroutedQueue(), copy);
		if (!outcome.confirmed()) {
			throw new AmqpNackReceivedException("Hare's delay forwarder could not move an undeliverable message to '"
					+ this.topology.unroutedQueue() + "': " + outcome.describe() + "; it is requeued", message);
		}
		logger.warn("Hare's delay forwarder on connection '" + this.connectionName + "' moved a due message to '"
				+ this.topology.unroutedQueue() + "': " + reason);
	}

	@Override
	public String toString() {
		return "DelayForwarder on connection '" + this.connectionName + "' from queue '" + this.topology.readyQueue()
				+ "'";
	}

}
