package io.hare.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The names, routing keys and declarations of Hare's delay levels under one prefix.
 * <p>
 * Level {@code L} is a topic exchange and a quorum queue whose messages expire after
 * {@code 2^L} seconds and are dead-lettered at least once, with their routing key, to the
 * exchange of level {@code L - 1}; level 0 dead-letters to the delivery exchange. A delayed message's routing key
 * holds its delay in seconds as {@value #LEVELS} binary digits, most significant first, then its
 * destination queue: {@code 0.0.(...).1.0.1.orders} waits 4 s in level 2 and 1 s in level 0,
 * then reaches queue {@code orders}. Each level exchange sends a key whose digit for that level
 * is 1 to its queue and one whose digit is 0 straight to the next exchange, so a message waits
 * exactly its delay, never behind a message with a longer one. The delivery exchange is bound to
 * each destination queue with {@value #LEVELS} {@code *} words then the queue name, which
 * matches that queue and no other.
 */
public final class DelayTopology {

	/**
	 * The number of delay levels: the longest delay is {@code 2^28 - 1} seconds, about 8.5
	 * years.
	 */
	public static final int LEVELS = 28;

	/**
	 * The longest delay the levels can hold.
	 */
	public static final Duration MAX_DELAY = Duration.ofSeconds((1L << LEVELS) - 1);

	/**
	 * The prefix of the names when none is configured.
	 */
	public static final String DEFAULT_PREFIX = "hare.delay";

	private static final int MAX_ROUTING_KEY_BYTES = 255;

	private static final String QUORUM_SUFFIX = ".quorum";

	private final String prefix;

	/**
	 * Create the topology for the given prefix.
	 * @param prefix what every exchange and queue name starts with, such as {@code hare.delay}
	 */
	public DelayTopology(String prefix) {
		Assert.hasText(prefix, "'prefix' must not be empty");
		this.prefix = prefix;
		checkDestination(readyDestination());
	}

	public String getPrefix() {
		return this.prefix;
	}

	/**
	 * Return the name of the exchange of one level.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return {@code <prefix>.level.<LL>}
	 */
	public String levelExchange(int level) {
		Assert.isTrue(level >= 0 && level < LEVELS, () -> "'level' must be between 0 and " + (LEVELS - 1));
		return this.prefix + ".level." + String.format(Locale.ROOT, "%02d", level);
	}

	/**
	 * Return the name of the quorum queue of one level: the name of its exchange, then
	 * {@code .quorum}, so that it never clashes with the classic queue of an earlier Hare.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return {@code <prefix>.level.<LL>.quorum}
	 */
	public String levelQueue(int level) {
		return levelExchange(level) + QUORUM_SUFFIX;
	}

	/**
	 * Return the name of the classic queue of one level as Hare declared it before the levels
	 * became quorum queues: the name of its exchange.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return {@code <prefix>.level.<LL>}
	 * @see DelayQueueMigration
	 */
	public String classicLevelQueue(int level) {
		return levelExchange(level);
	}

	/**
	 * Return the binding of a level's exchange to its queue: the routing keys whose digit for
	 * that level is 1.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @param queue the level's queue, {@link #levelQueue(int)} or {@link #classicLevelQueue(int)}
	 * @return the binding
	 */
	Binding levelBinding(int level, String queue) {
		return new Binding(queue, DestinationType.QUEUE, levelExchange(level), "*.".repeat(LEVELS - 1 - level) + "1.#",
				null);
	}

	/**
	 * Whether a queue is one of the levels, quorum or classic.
	 * @param queue the queue name
	 * @return whether it is a level queue
	 */
	public boolean isLevelQueue(String queue) {
		return queue.startsWith(this.prefix + ".level.");
	}

	/**
	 * Return the name of the exchange that hands due messages to their destination queue.
	 * @return {@code <prefix>.delivery}
	 */
	public String deliveryExchange() {
		return this.prefix + ".delivery";
	}

	/**
	 * Return the name of the quorum queue where due messages for an exchange wait for the
	 * forwarder.
	 * @return {@code <prefix>.ready.quorum}
	 */
	public String readyQueue() {
		return readyDestination() + QUORUM_SUFFIX;
	}

	/**
	 * Return the name of the classic ready queue of an earlier Hare.
	 * @return {@code <prefix>.ready}
	 * @see DelayQueueMigration
	 */
	public String classicReadyQueue() {
		return readyDestination();
	}

	/**
	 * Return the destination that the routing key of a message for an exchange names, which the
	 * delivery exchange routes to the {@link #readyQueue() ready queue}: the name of the classic
	 * ready queue, so that a message that entered the levels before an upgrade still arrives.
	 * @return {@code <prefix>.ready}
	 */
	String readyDestination() {
		return this.prefix + ".ready";
	}

	/**
	 * Return the binding of the delivery exchange to a ready queue.
	 * @param queue {@link #readyQueue()} or {@link #classicReadyQueue()}
	 * @return the binding
	 */
	Binding readyBinding(String queue) {
		return new Binding(queue, DestinationType.QUEUE, deliveryExchange(), "*.".repeat(LEVELS) + readyDestination(),
				null);
	}

	/**
	 * Return the name of the fanout exchange that keeps a message whose destination could not
	 * be reached in the {@link #unroutedQueue() unrouted queue}, instead of the broker dropping
	 * it; every other exchange of the levels has it as its alternate exchange.
	 * @return {@code <prefix>.unrouted}
	 */
	public String unrouted() {
		return this.prefix + ".unrouted";
	}

	/**
	 * Return the name of the quorum queue that keeps messages whose destination could not be
	 * reached.
	 * @return {@code <prefix>.unrouted.quorum}
	 */
	public String unroutedQueue() {
		return unrouted() + QUORUM_SUFFIX;
	}

	/**
	 * Return the name of the classic unrouted queue of an earlier Hare: the name of the
	 * exchange.
	 * @return {@code <prefix>.unrouted}
	 * @see DelayQueueMigration
	 */
	public String classicUnroutedQueue() {
		return unrouted();
	}

	/**
	 * Return the binding of the unrouted exchange to an unrouted queue.
	 * @param queue {@link #unroutedQueue()} or {@link #classicUnroutedQueue()}
	 * @return the binding
	 */
	Binding unroutedBinding(String queue) {
		return new Binding(queue, DestinationType.QUEUE, unrouted(), "", null);
	}

	/**
	 * Return the delay in whole seconds, rounded up so that a message is never early.
	 * @param delay the delay; negative counts as zero
	 * @return the seconds, 0 to {@link #MAX_DELAY}
	 * @throws IllegalArgumentException if the delay is longer than {@link #MAX_DELAY}
	 */
	public static long seconds(Duration delay) {
		Assert.notNull(delay, "'delay' must not be null");
		if (delay.isNegative() || delay.isZero()) {
			return 0;
		}
		long seconds = delay.getSeconds() + ((delay.getNano() > 0) ? 1 : 0);
		if (seconds > MAX_DELAY.getSeconds()) {
			throw new IllegalArgumentException("A delay of " + delay + " is longer than the longest Hare can hold, "
					+ MAX_DELAY + " (about 8.5 years)");
		}
		return seconds;
	}

	/**
	 * Return the routing key that takes a message through the levels to a queue.
	 * @param seconds the delay in seconds, see {@link #seconds(Duration)}
	 * @param queue the destination queue
	 * @return the binary digits of the delay, then the queue name
	 */
	public String routingKey(long seconds, String queue) {
		checkSeconds(seconds);
		checkDestination(queue);
		StringBuilder key = new StringBuilder(2 * LEVELS + queue.length());
		for (int level = LEVELS - 1; level >= 0; level--) {
			key.append(((seconds >>> level) & 1) == 1 ? '1' : '0').append('.');
		}
		return key.append(queue).toString();
	}

	/**
	 * Return the exchange to publish a delayed message to: the level of its highest binary
	 * digit, the levels above having nothing to add, or the delivery exchange for no delay.
	 * @param seconds the delay in seconds, see {@link #seconds(Duration)}
	 * @return the exchange name
	 */
	public String entryExchange(long seconds) {
		checkSeconds(seconds);
		return (seconds == 0) ? deliveryExchange() : levelExchange(highestLevel(seconds));
	}

	/**
	 * Return the level queues a message with the given delay waits in, in order.
	 * @param seconds the delay in seconds, see {@link #seconds(Duration)}
	 * @return the level queue names, longest wait first
	 */
	public List<String> route(long seconds) {
		checkSeconds(seconds);
		List<String> queues = new ArrayList<>();
		for (int level = LEVELS - 1; level >= 0; level--) {
			if (((seconds >>> level) & 1) == 1) {
				queues.add(levelQueue(level));
			}
		}
		return queues;
	}

	/**
	 * Return the binding of the delivery exchange to a destination queue.
	 * @param queue the destination queue
	 * @return the binding
	 */
	public Binding deliveryBinding(String queue) {
		checkDestination(queue);
		return new Binding(queue, DestinationType.QUEUE, deliveryExchange(), "*.".repeat(LEVELS) + queue, null);
	}

	/**
	 * Build the declarations of every level, the delivery exchange, the ready queue and the
	 * unrouted exchange and queue, in the order they must be declared. The queues are quorum
	 * queues; those that dead-letter do so at least once.
	 * @return the declarables
	 */
	public Declarables declarables() {
		List<Declarable> declarables = new ArrayList<>();
		declarables.add(ExchangeBuilder.fanoutExchange(unrouted()).durable(true).build());
		declarables.add(QueueBuilder.durable(unroutedQueue()).quorum().build());
		declarables.add(unroutedBinding(unroutedQueue()));
		declarables.add(topicExchange(deliveryExchange()));
		for (int level = 0; level < LEVELS; level++) {
			declarables.add(topicExchange(levelExchange(level)));
			declarables.add(levelQueueDeclaration(level));
			declarables.add(levelBinding(level, levelQueue(level)));
			declarables.add(new Binding(nextExchange(level), DestinationType.EXCHANGE, levelExchange(level),
					"*.".repeat(LEVELS - 1 - level) + "0.#", null));
		}
		declarables.add(readyQueueDeclaration());
		declarables.add(readyBinding(readyQueue()));
		return new Declarables(declarables);
	}

	private Declarable topicExchange(String name) {
		// A malformed routing key would otherwise be dropped by the broker: keep it instead.
		return ExchangeBuilder.topicExchange(name).durable(true).alternate(unrouted()).build();
	}

	/**
	 * Return where a level's messages go when they expire: the exchange of the level below, or
	 * the delivery exchange from level 0.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return the exchange name
	 */
	String nextExchange(int level) {
		return (level > 0) ? levelExchange(level - 1) : deliveryExchange();
	}

	private Queue levelQueueDeclaration(int level) {
		// Classic queues, and quorum queues by default, dead-letter at most once: a message
		// expiring while a broker stops could vanish between two levels. At-least-once keeps it
		// in its level until the next one has it; it needs reject-publish.
		// A long TTL, not an int: level 27 holds messages for 2^27 s, beyond Integer.MAX_VALUE ms.
		return QueueBuilder.durable(levelQueue(level))
			.quorum()
			.withArgument("x-message-ttl", (1L << level) * 1000)
			.deadLetterExchange(nextExchange(level))
			.withArgument("x-dead-letter-strategy", "at-least-once")
			.overflow(QueueBuilder.Overflow.rejectPublish)
			.build();
	}

	private Queue readyQueueDeclaration() {
		// The forwarder requeues what it cannot publish yet. A quorum queue on RabbitMQ 4 drops a
		// message redelivered more often than its delivery limit unless it dead-letters it: into
		// the unrouted queue, then, at least once.
		return QueueBuilder.durable(readyQueue())
			.quorum()
			.deadLetterExchange(unrouted())
			.withArgument("x-dead-letter-strategy", "at-least-once")
			.overflow(QueueBuilder.Overflow.rejectPublish)
			.build();
	}

	/**
	 * Check that a queue can be a destination: a topic binding must match it and nothing else,
	 * and the routing key must fit in 255 bytes.
	 * @param queue the queue name
	 * @throws IllegalArgumentException if it cannot
	 */
	public static void checkDestination(String queue) {
		Assert.isTrue(StringUtils.hasText(queue), "A delayed message needs a destination queue");
		for (String word : StringUtils.delimitedListToStringArray(queue, ".")) {
			Assert.isTrue(!word.equals("*") && !word.equals("#"), () -> "Queue '" + queue
					+ "' cannot receive delayed messages: a dot-separated word of its name is '*' or '#'");
		}
		int bytes = 2 * LEVELS + queue.getBytes(StandardCharsets.UTF_8).length;
		Assert.isTrue(bytes <= MAX_ROUTING_KEY_BYTES, () -> "Queue '" + queue
				+ "' cannot receive delayed messages: its name is longer than "
				+ (MAX_ROUTING_KEY_BYTES - 2 * LEVELS) + " bytes");
	}

	private static void checkSeconds(long seconds) {
		Assert.isTrue(seconds >= 0 && seconds <= MAX_DELAY.getSeconds(),
				() -> "'seconds' must be between 0 and " + MAX_DELAY.getSeconds());
	}

	private static int highestLevel(long seconds) {
		return 63 - Long.numberOfLeadingZeros(seconds);
	}

}
