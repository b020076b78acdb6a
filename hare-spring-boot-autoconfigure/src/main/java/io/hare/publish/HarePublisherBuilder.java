package io.hare.publish;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.dedup.DedupKeyStrategy;
import io.hare.dedup.DedupStore;
import io.hare.dedup.DedupTtl;
import io.hare.delay.HareDelays;

import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Builds a {@link HarePublisher}. Get one preconfigured from {@link HarePublishers#builder(String)},
 * which also registers what it builds. Long only for its documented fluent setters.
 */
public class HarePublisherBuilder {

	/**
	 * The confirm timeout used when none is set.
	 */
	public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	private static final List<String> EXCHANGE_TYPES = List.of(ExchangeTypes.DIRECT, ExchangeTypes.TOPIC,
			ExchangeTypes.FANOUT, ExchangeTypes.HEADERS);

	private final String name;

	private final HareConnections connections;

	private final HareMessageConverter messageConverter;

	private @Nullable HarePublishers registry;

	private String connection = HareConnection.DEFAULT;

	private String exchange = "";

	private String exchangeType = ExchangeTypes.DIRECT;

	private String routingKey = "";

	private boolean declareExchange = true;

	private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;

	private @Nullable DedupStore dedupStore;

	private @Nullable DedupTtl dedupTtl;

	private List<String> dedupKeys = List.of();

	private @Nullable DedupKeyStrategy dedupKeyStrategy;

	private boolean dedupFailOpen;

	private @Nullable HareDelays delays;

	private String namePrefix = "";

	private @Nullable PublishOutbox outbox;

	private List<MessagePostProcessor> postProcessors = List.of();

	private @Nullable DataSize compressAbove;

	private @Nullable String stream;

	private @Nullable StreamPublishing streamPublishing;

	private @Nullable String producerName;

	/**
	 * Create a builder.
	 * @param name the publisher's name
	 * @param connections the connections it may publish on
	 * @param messageConverter the converter that encodes payloads
	 */
	public HarePublisherBuilder(String name, HareConnections connections, HareMessageConverter messageConverter) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		this.name = name;
		this.connections = connections;
		this.messageConverter = messageConverter;
	}

	HarePublisherBuilder registry(HarePublishers registry) {
		this.registry = registry;
		return this;
	}

	public String getName() {
		return this.name;
	}

	/**
	 * Publish on the named connection ({@code hare.connections.<name>}) instead of the default.
	 * @param connection the connection's name
	 * @return this builder
	 */
	public HarePublisherBuilder connection(String connection) {
		Assert.hasText(connection, "'connection' must not be empty");
		this.connection = connection;
		return this;
	}

	/**
	 * Publish to this exchange, declared durable when the publisher starts.
	 * @param exchange the exchange, empty for the default exchange
	 * @return this builder
	 */
	public HarePublisherBuilder exchange(String exchange) {
		Assert.notNull(exchange, "'exchange' must not be null");
		this.exchange = exchange;
		return this;
	}

	/**
	 * Declare the exchange with this type.
	 * @param exchangeType direct, topic, fanout or headers
	 * @return this builder
	 */
	public HarePublisherBuilder exchangeType(String exchangeType) {
		Assert.isTrue(EXCHANGE_TYPES.contains(exchangeType),
				() -> "'exchangeType' must be one of " + EXCHANGE_TYPES + ", not '" + exchangeType + "'");
		this.exchangeType = exchangeType;
		return this;
	}

	/**
	 * Publish with this routing key unless a call gives one.
	 * @param routingKey the routing key
	 * @return this builder
	 */
	public HarePublisherBuilder routingKey(String routingKey) {
		Assert.notNull(routingKey, "'routingKey' must not be null");
		this.routingKey = routingKey;
		return this;
	}

	/**
	 * Set whether the publisher declares its exchange; turn off for an exchange the application
	 * may not configure.
	 * @param declareExchange whether to declare the exchange
	 * @return this builder
	 */
	public HarePublisherBuilder declareExchange(boolean declareExchange) {
		this.declareExchange = declareExchange;
		return this;
	}

	/**
	 * Wait this long for the broker's confirm before a publish fails with
	 * {@link HarePublishException.Reason#TIMED_OUT}. It counts from when the message was
	 * written; connecting or opening a channel before that is bounded by
	 * {@code spring.rabbitmq.connection-timeout} and {@code channel-rpc-timeout}.
	 * @param confirmTimeout a positive timeout
	 * @return this builder
	 */
	public HarePublisherBuilder confirmTimeout(Duration confirmTimeout) {
		Assert.isTrue(confirmTimeout != null && !confirmTimeout.isNegative() && !confirmTimeout.isZero(),
				"'confirmTimeout' must be positive");
		this.confirmTimeout = confirmTimeout;
		return this;
	}

	/**
	 * Use this store for deduplication claims.
	 * @param dedupStore the store
	 * @return this builder
	 */
	public HarePublisherBuilder dedupStore(DedupStore dedupStore) {
		Assert.notNull(dedupStore, "'dedupStore' must not be null");
		this.dedupStore = dedupStore;
		return this;
	}

	/**
	 * Drop a message whose whole body was published to the same destination within the
	 * time-to-live.
	 * @param ttl how long a published message blocks its duplicates
	 * @return this builder
	 */
	public HarePublisherBuilder dedup(DedupTtl ttl) {
		return dedup(ttl, List.of());
	}

	/**
	 * Drop a message whose values of the given JSON fields were published to the same
	 * destination within the time-to-live.
	 * @param ttl how long a published message blocks its duplicates
	 * @param keys the fields the key is made of; none for the whole body
	 * @return this builder
	 */
	public HarePublisherBuilder dedup(DedupTtl ttl, List<String> keys) {
		Assert.notNull(ttl, "'ttl' must not be null");
		Assert.notNull(keys, "'keys' must not be null");
		this.dedupTtl = ttl;
		this.dedupKeys = List.copyOf(keys);
		this.dedupKeyStrategy = null;
		return this;
	}

	/**
	 * Drop a message whose key, made by the given strategy, was published within the
	 * time-to-live.
	 * @param ttl how long a published message blocks its duplicates
	 * @param keyStrategy how keys are made
	 * @return this builder
	 */
	public HarePublisherBuilder dedup(DedupTtl ttl, DedupKeyStrategy keyStrategy) {
		Assert.notNull(ttl, "'ttl' must not be null");
		Assert.notNull(keyStrategy, "'keyStrategy' must not be null");
		this.dedupTtl = ttl;
		this.dedupKeys = List.of();
		this.dedupKeyStrategy = keyStrategy;
		return this;
	}

	/**
	 * Turn deduplication off.
	 * @return this builder
	 */
	public HarePublisherBuilder noDedup() {
		this.dedupTtl = null;
		this.dedupKeys = List.of();
		this.dedupKeyStrategy = null;
		return this;
	}

	/**
	 * Set whether to publish without deduplication when the store is unavailable, instead of
	 * failing with {@link HarePublishException.Reason#DEDUP_STORE_UNAVAILABLE}.
	 * @param dedupFailOpen whether to publish anyway
	 * @return this builder
	 */
	public HarePublisherBuilder dedupFailOpen(boolean dedupFailOpen) {
		this.dedupFailOpen = dedupFailOpen;
		return this;
	}

	/**
	 * Set the delay levels that {@link HarePublisher#publish(Object, Duration) delayed}
	 * messages wait in.
	 * @param delays the delay levels of every connection, or {@code null} if they are off
	 * @return this builder
	 */
	public HarePublisherBuilder delays(@Nullable HareDelays delays) {
		this.delays = delays;
		return this;
	}

	HarePublisherBuilder namePrefix(String namePrefix) {
		this.namePrefix = namePrefix;
		return this;
	}

	/**
	 * Set the transactional outbox that takes the messages published inside a database
	 * transaction; they are sent after the commit, and never if it rolls back.
	 * @param outbox the outbox, or {@code null} to always send at once
	 * @return this builder
	 */
	public HarePublisherBuilder outbox(@Nullable PublishOutbox outbox) {
		this.outbox = outbox;
		return this;
	}

	/**
	 * Set post-processors every message goes through after it was encoded, before it is sent.
	 * @param postProcessors the post-processors, in order
	 * @return this builder
	 */
	public HarePublisherBuilder postProcessors(List<MessagePostProcessor> postProcessors) {
		Assert.notNull(postProcessors, "'postProcessors' must not be null");
		this.postProcessors = List.copyOf(postProcessors);
		return this;
	}

	/**
	 * Publish to a stream over RabbitMQ's stream protocol, with its confirms, instead of to
	 * an exchange; the exchange and routing key then do not apply, nor do delays.
	 * @param stream the stream, which must exist (a stream listener declares it)
	 * @param streamPublishing the stream protocol
	 * @param producerName the name under which the broker drops a message it already stored
	 * from this producer (by publishing id, after a reconnect), or {@code null} for none; only
	 * one running producer may use a name
	 * @return this builder
	 */
	public HarePublisherBuilder stream(String stream, StreamPublishing streamPublishing,
			@Nullable String producerName) {
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.notNull(streamPublishing, "'streamPublishing' must not be null");
		this.stream = stream;
		this.streamPublishing = streamPublishing;
		this.producerName = producerName;
		return this;
	}

	/**
	 * Gzip the body of every message larger than a threshold ({@code content-encoding: gzip});
	 * Hare's listeners decompress it before decoding.
	 * @param compressAbove the body size above which to compress, or {@code null} for never
	 * @return this builder
	 */
	public HarePublisherBuilder compressAbove(@Nullable DataSize compressAbove) {
		this.compressAbove = compressAbove;
		return this;
	}

	/**
	 * Build the publisher; from {@link HarePublishers#builder(String)}, also register it and, if
	 * the application runs, declare its exchange.
	 * @return the publisher
	 * @throws IllegalArgumentException if the connection is unknown
	 * @throws IllegalStateException if deduplication is on without a store, or the name is taken
	 */
	public HarePublisher build() {
		HareConnection hareConnection = this.connections.get(this.connection);
		// A test's prefix renames the exchange, or the queue a default-exchange publisher names.
		boolean toQueue = this.exchange.isEmpty();
		String exchange = (toQueue || this.exchange.startsWith("amq.")) ? this.exchange
				: this.namePrefix + this.exchange;
		String routingKey = (toQueue && !this.routingKey.isEmpty()) ? this.namePrefix + this.routingKey
				: this.routingKey;
		DefaultHarePublisher publisher = new DefaultHarePublisher(this.name, hareConnection, this.messageConverter,
				exchange, this.exchangeType, routingKey, this.declareExchange, this.confirmTimeout,
				deduplication());
		publisher.setDelays(this.delays);
		publisher.setOutbox(this.outbox);
		publisher.setMessageProcessing(this.postProcessors, this.compressAbove);
		if (this.stream != null && this.streamPublishing != null) {
			String stream = this.namePrefix + this.stream;
			publisher.setStream(stream, this.streamPublishing.createProducer(this.name, stream, this.producerName,
					this.confirmTimeout));
		}
		if (this.registry != null) {
			this.registry.register(publisher);
		}
		return publisher;
	}

	private @Nullable Deduplication deduplication() {
		if (this.dedupTtl == null) {
			return null;
		}
		Assert.state(this.dedupStore != null, () -> "Hare publisher '" + this.name + "' deduplicates but has no "
				+ "DedupStore; set one with dedupStore(..)");
		DedupKeyStrategy keyStrategy = this.dedupKeyStrategy;
		if (keyStrategy == null) {
			keyStrategy = this.dedupKeys.isEmpty() ? DedupKeyStrategy.wholeMessage()
					: DedupKeyStrategy.fields(this.messageConverter.getJsonMapper(), this.dedupKeys);
		}
		return new Deduplication(this.dedupStore, this.dedupTtl, keyStrategy, this.dedupFailOpen);
	}

}
