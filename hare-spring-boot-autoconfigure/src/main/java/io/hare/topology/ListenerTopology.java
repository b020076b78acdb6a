package io.hare.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.util.Assert;

/**
 * The exchange, work queue, bindings, retry queues and dead-letter queue of one listener.
 *
 * @param queue the work queue
 * @param exchange the exchange the work queue is bound to, or {@code null} to consume the
 * queue alone
 * @param exchangeType the type of the exchange ({@link ExchangeTypes})
 * @param routingKeys the routing keys the work queue is bound with
 * @param bindingArguments the arguments of each binding, such as the header values a
 * {@code headers} exchange matches
 * @param queueType the type of the work queue, and of its retry and dead-letter queues
 * @param messageTtl the {@code x-message-ttl} of the work queue, or {@code null} for none
 * @param retryDelays the delay before each retry; the distinct values become delay queues
 * @param queueArguments further arguments of the work queue
 * @param broadcast whether the work queue is this instance's own: exclusive, auto-deleted,
 * with no retry or dead-letter queue, so that every instance gets every message
 */
public record ListenerTopology(String queue, @Nullable String exchange, String exchangeType, List<String> routingKeys,
		Map<String, Object> bindingArguments, QueueType queueType, @Nullable Duration messageTtl,
		List<Duration> retryDelays, Map<String, Object> queueArguments, boolean broadcast) {

	private static final String QUEUE_TYPE = "x-queue-type";

	private static final String INITIAL_GROUP_SIZE = "x-quorum-initial-group-size";

	public ListenerTopology {
		Assert.hasText(queue, "'queue' must not be empty");
		routingKeys = List.copyOf(routingKeys);
		bindingArguments = Map.copyOf(bindingArguments);
		retryDelays = List.copyOf(retryDelays);
		queueArguments = Map.copyOf(queueArguments);
	}

	/**
	 * Create a topology whose bindings have no arguments.
	 * @param queue the work queue
	 * @param exchange the exchange, or {@code null} to consume the queue alone
	 * @param exchangeType the type of the exchange
	 * @param routingKeys the routing keys the work queue is bound with
	 * @param queueType the type of the work queue
	 * @param messageTtl the {@code x-message-ttl} of the work queue, or {@code null}
	 * @param retryDelays the delay before each retry
	 * @param queueArguments further arguments of the work queue
	 */
	public ListenerTopology(String queue, @Nullable String exchange, String exchangeType, List<String> routingKeys,
			QueueType queueType, @Nullable Duration messageTtl, List<Duration> retryDelays,
			Map<String, Object> queueArguments) {
		this(queue, exchange, exchangeType, routingKeys, Map.of(), queueType, messageTtl, retryDelays,
				queueArguments, false);
	}

	/**
	 * Return the distinct retry delays, in their order of first use; each has a delay queue.
	 * @return the delay levels
	 */
	public List<Duration> delayLevels() {
		if (this.queueType == QueueType.STREAM) {
			return List.of();
		}
		return this.retryDelays.stream().distinct().toList();
	}

	/**
	 * Return the name of the queue that holds a message for the given retry delay.
	 * @param delay one of the {@link #retryDelays() retry delays}
	 * @return the delay queue name
	 */
	public String delayQueue(Duration delay) {
		List<Duration> levels = delayLevels();
		int index = levels.indexOf(delay);
		Assert.state(index >= 0, () -> "No delay queue of '" + this.queue + "' waits " + delay);
		return (levels.size() == 1) ? TopologyNames.delayQueue(this.queue)
				: TopologyNames.delayQueue(this.queue, index + 1);
	}

	/**
	 * Return the name of the dead-letter queue.
	 * @return the dead-letter queue name
	 */
	public String deadQueue() {
		return TopologyNames.deadQueue(this.queue);
	}

	/**
	 * Whether this topology has retry and dead-letter queues (streams and broadcast queues have none).
	 * @return whether failed messages can be retried and dead-lettered
	 */
	public boolean hasRetryQueues() {
		return this.queueType != QueueType.STREAM && !this.broadcast;
	}

	/**
	 * Build the declarations of this topology, in the order they must be declared.
	 * @return the declarables
	 */
	public Declarables declarables() {
		List<Declarable> declarables = new ArrayList<>();
		Queue workQueue = workQueue();
		declarables.add(workQueue);
		if (this.exchange != null) {
			Exchange exchange = new ExchangeBuilder(this.exchange, this.exchangeType).durable(true).build();
			declarables.add(exchange);
			for (String routingKey : bindingKeys()) {
				declarables.add(new Binding(this.queue, DestinationType.QUEUE, this.exchange, routingKey,
						this.bindingArguments.isEmpty() ? null : this.bindingArguments));
			}
		}
		if (hasRetryQueues()) {
			for (Duration delay : delayLevels()) {
				declarables.add(delayQueue(delayQueue(delay), delay));
			}
			declarables.add(typed(QueueBuilder.durable(deadQueue())).withArguments(replication()).build());
		}
		return new Declarables(declarables);
	}

	private List<String> bindingKeys() {
		if (ExchangeTypes.FANOUT.equals(this.exchangeType) || ExchangeTypes.HEADERS.equals(this.exchangeType)) {
			return List.of("");
		}
		return this.routingKeys.isEmpty() ? List.of(this.queue) : this.routingKeys;
	}

	private Queue workQueue() {
		Map<String, Object> arguments = new LinkedHashMap<>(this.queueArguments);
		if (this.messageTtl != null) {
			arguments.put("x-message-ttl", this.messageTtl.toMillis());
		}
		if (this.broadcast) {
			return QueueBuilder.nonDurable(this.queue).exclusive().autoDelete().withArguments(arguments).build();
		}
		return typed(QueueBuilder.durable(this.queue)).withArguments(arguments).build();
	}

	private Queue delayQueue(String name, Duration delay) {
		// Classic and quorum queues dead-letter at most once by default: a retry expiring while
		// the broker stops could vanish. Delay queues are therefore quorum queues, whatever the
		// work queue's type, with at-least-once dead-lettering (which needs reject-publish).
		return QueueBuilder.durable(name)
			.quorum()
			.ttl(Math.toIntExact(delay.toMillis()))
			.deadLetterExchange("")
			.deadLetterRoutingKey(this.queue)
			.withArgument("x-dead-letter-strategy", "at-least-once")
			.overflow(QueueBuilder.Overflow.rejectPublish)
			.withArguments(replication())
			.build();
	}

	/**
	 * The replication of a quorum work queue, which its dead-letter and delay queues, quorum
	 * queues too, share: as many copies of a failed message as of a new one.
	 */
	private Map<String, Object> replication() {
		Object size = this.queueArguments.get(INITIAL_GROUP_SIZE);
		return (size != null) ? Map.of(INITIAL_GROUP_SIZE, size) : Map.of();
	}

	private QueueBuilder typed(QueueBuilder builder) {
		// A classic queue is declared without x-queue-type so that it matches queues created
		// before Hare by tools that leave the argument out.
		return (this.queueType != QueueType.CLASSIC) ? builder.withArgument(QUEUE_TYPE, this.queueType.argumentValue())
				: builder;
	}

}
