package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.delay.DelayTopology;
import io.hare.retry.ExponentialBackoff;
import io.hare.retry.RetryBackoff;
import io.hare.retry.RetryPolicy;
import io.hare.scaling.AutoScalingPolicy;
import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * The settings of one listener, gathered from its annotation, {@code hare.listeners.<id>.*},
 * {@code hare.defaults.*} and {@link HareListenerCustomizer customizers}. A setting left
 * {@code null} takes Hare's default.
 */
public class HareListenerSpec {

	/**
	 * The exchange type used when none is set.
	 */
	public static final String DEFAULT_EXCHANGE_TYPE = ExchangeTypes.DIRECT;

	/**
	 * The retry limit used when none is set.
	 */
	public static final int DEFAULT_RETRY_LIMIT = 15;

	/**
	 * The retry delay used when none is set.
	 */
	public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(10);

	/**
	 * The concurrency used when none is set.
	 */
	public static final int DEFAULT_CONCURRENCY = 1;

	/**
	 * The exponential backoff's first delay used when none is set.
	 */
	public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);

	/**
	 * The exponential backoff's multiplier used when none is set.
	 */
	public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

	/**
	 * The exponential backoff's longest delay used when none is set.
	 */
	public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofHours(1);

	/**
	 * The largest delay a queue's {@code x-message-ttl} can hold.
	 */
	static final Duration MAX_TTL = Duration.ofMillis(Integer.MAX_VALUE);

	private final String id;

	private @Nullable String queue;

	private @Nullable String exchange;

	private @Nullable String exchangeType;

	private List<String> routingKeys = List.of();

	private @Nullable QueueType queueType;

	private @Nullable Integer prefetch;

	private @Nullable Integer concurrency;

	private @Nullable Integer retryLimit;

	private @Nullable Duration retryDelay;

	private List<Duration> retryDelays = List.of();

	private List<Class<? extends Throwable>> nonRetryable = List.of();

	private @Nullable Duration messageTtl;

	private @Nullable String connection;

	private @Nullable RetryBackoff retryBackoff;

	private @Nullable Duration backoffInitial;

	private @Nullable Double backoffMultiplier;

	private @Nullable Duration backoffMax;

	private @Nullable Double backoffJitter;

	public HareListenerSpec(String id) {
		this.id = id;
	}

	public String getId() {
		return this.id;
	}

	public @Nullable String getQueue() {
		return this.queue;
	}

	public void setQueue(@Nullable String queue) {
		this.queue = queue;
	}

	public @Nullable String getExchange() {
		return this.exchange;
	}

	public void setExchange(@Nullable String exchange) {
		this.exchange = exchange;
	}

	public @Nullable String getExchangeType() {
		return this.exchangeType;
	}

	public void setExchangeType(@Nullable String exchangeType) {
		this.exchangeType = exchangeType;
	}

	public List<String> getRoutingKeys() {
		return this.routingKeys;
	}

	public void setRoutingKeys(List<String> routingKeys) {
		this.routingKeys = List.copyOf(routingKeys);
	}

	public @Nullable QueueType getQueueType() {
		return this.queueType;
	}

	public void setQueueType(@Nullable QueueType queueType) {
		this.queueType = queueType;
	}

	public @Nullable Integer getPrefetch() {
		return this.prefetch;
	}

	public void setPrefetch(@Nullable Integer prefetch) {
		this.prefetch = prefetch;
	}

	public @Nullable Integer getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(@Nullable Integer concurrency) {
		this.concurrency = concurrency;
	}

	public @Nullable Integer getRetryLimit() {
		return this.retryLimit;
	}

	public void setRetryLimit(@Nullable Integer retryLimit) {
		this.retryLimit = retryLimit;
	}

	public @Nullable Duration getRetryDelay() {
		return this.retryDelay;
	}

	public void setRetryDelay(@Nullable Duration retryDelay) {
		this.retryDelay = retryDelay;
	}

	public List<Duration> getRetryDelays() {
		return this.retryDelays;
	}

	public void setRetryDelays(List<Duration> retryDelays) {
		this.retryDelays = List.copyOf(retryDelays);
	}

	public List<Class<? extends Throwable>> getNonRetryable() {
		return this.nonRetryable;
	}

	public void setNonRetryable(List<Class<? extends Throwable>> nonRetryable) {
		this.nonRetryable = List.copyOf(nonRetryable);
	}

	public @Nullable Duration getMessageTtl() {
		return this.messageTtl;
	}

	public void setMessageTtl(@Nullable Duration messageTtl) {
		this.messageTtl = messageTtl;
	}

	public @Nullable String getConnection() {
		return this.connection;
	}

	public void setConnection(@Nullable String connection) {
		this.connection = connection;
	}

	/**
	 * Return the queue name, which {@link #validate()} guarantees is set.
	 * @return the queue name
	 */
	public String requiredQueue() {
		if (!StringUtils.hasText(this.queue)) {
			throw invalid("queue", this.queue, "a Hare listener needs a queue name");
		}
		return this.queue;
	}

	public QueueType effectiveQueueType() {
		return (this.queueType != null) ? this.queueType : QueueType.CLASSIC;
	}

	public int effectiveConcurrency() {
		return (this.concurrency != null) ? this.concurrency : DEFAULT_CONCURRENCY;
	}

	/**
	 * Return the delay before each retry: the cascade if one is set, else the fixed delay.
	 * @return the retry delays, at least one
	 */
	public List<Duration> effectiveRetryDelays() {
		if (!this.retryDelays.isEmpty()) {
			return this.retryDelays;
		}
		return List.of((this.retryDelay != null) ? this.retryDelay : DEFAULT_RETRY_DELAY);
	}

	/**
	 * Build the topology these settings describe.
	 * @return the topology
	 */
	public ListenerTopology topology() {
		String type = StringUtils.hasText(this.exchangeType) ? this.exchangeType : DEFAULT_EXCHANGE_TYPE;
		String exchangeName = StringUtils.hasText(this.exchange) ? this.exchange : null;
		// An exponential backoff waits in Hare's shared delay levels: no delay queue of its own.
		List<Duration> delayQueues = (effectiveRetryBackoff() == RetryBackoff.EXPONENTIAL) ? List.of()
				: effectiveRetryDelays();
		return new ListenerTopology(requiredQueue(), exchangeName, type, this.routingKeys, effectiveQueueType(),
				this.messageTtl, delayQueues, queueArguments());
	}

	/**
	 * Build the retry policy these settings describe.
	 * @return the retry policy
	 */
	public RetryPolicy retryPolicy() {
		int limit = (this.retryLimit != null) ? this.retryLimit : DEFAULT_RETRY_LIMIT;
		if (effectiveRetryBackoff() == RetryBackoff.EXPONENTIAL) {
			return RetryPolicy.exponential(limit, exponentialBackoff(), this.nonRetryable);
		}
		return new RetryPolicy(limit, effectiveRetryDelays(), this.nonRetryable);
	}

	/**
	 * Check every setting, naming the property of the first that is invalid.
	 * @throws InvalidConfigurationPropertyValueException if a setting is invalid
	 */
	public void validate() {
		requiredQueue();
		if (this.exchangeType != null && !List.of(ExchangeTypes.DIRECT, ExchangeTypes.TOPIC, ExchangeTypes.FANOUT,
				ExchangeTypes.HEADERS).contains(this.exchangeType)) {
			throw invalid("exchange-type", this.exchangeType, "must be direct, topic, fanout or headers");
		}
		if (this.prefetch != null && this.prefetch < 1) {
			throw invalid("prefetch", this.prefetch, "must be at least 1");
		}
		if (this.concurrency != null && this.concurrency < 1) {
			throw invalid("concurrency", this.concurrency, "must be at least 1");
		}
		if (this.retryLimit != null && this.retryLimit < 0) {
			throw invalid("retry.limit", this.retryLimit, "must be zero or more");
		}
		if (this.retryDelay != null) {
			checkTtl("retry.delay", this.retryDelay);
		}
		this.retryDelays.forEach((delay) -> checkTtl("retry.delays", delay));
		if (this.messageTtl != null) {
			checkTtl("message-ttl", this.messageTtl);
		}
		validateStream();
		validateBackoff();
		validateAutoScaling();
	}

	private void validateStream() {
		if (effectiveQueueType() != QueueType.STREAM) {
			if (this.streamOffset != null) {
				throw invalid("stream-offset", this.streamOffset, "applies only to a listener with queue-type stream");
			}
			return;
		}
		effectiveStreamOffset();
		// A stream keeps every message for every consumer: it cannot retry or dead-letter one.
		String retry = "a stream cannot retry or dead-letter a message: a failed one is acked and reported; "
				+ "remove the setting or consume a classic or quorum queue";
		if (this.retryLimit != null) {
			throw invalid("retry.limit", this.retryLimit, retry);
		}
		if (this.retryDelay != null) {
			throw invalid("retry.delay", this.retryDelay, retry);
		}
		if (!this.retryDelays.isEmpty()) {
			throw invalid("retry.delays", this.retryDelays, retry);
		}
		if (!this.nonRetryable.isEmpty()) {
			throw invalid("retry.non-retryable", this.nonRetryable, retry);
		}
		if (this.retryBackoff != null) {
			throw invalid("retry.backoff", this.retryBackoff, retry);
		}
		if (this.messageTtl != null) {
			throw invalid("message-ttl", this.messageTtl, "a stream has no x-message-ttl; it keeps messages by size "
					+ "or age (x-max-length-bytes, x-max-age)");
		}
		if (this.concurrency != null && this.concurrency > 1) {
			throw invalid("concurrency", this.concurrency, "every consumer of a stream reads every message, so "
					+ this.concurrency + " consumers would handle each message " + this.concurrency + " times; use 1");
		}
		if (Boolean.TRUE.equals(this.singleActiveConsumer)) {
			throw invalid("single-active-consumer", true,
					"RabbitMQ offers single active consumer on streams only through the stream protocol");
		}
		if (this.autoScaling != null) {
			throw invalid("auto-scaling.max-consumers", this.autoScaling.maxConsumers(),
					"every consumer of a stream reads every message, so a stream listener cannot scale");
		}
	}

	private void validateAutoScaling() {
		AutoScalingPolicy policy = this.autoScaling;
		if (policy == null) {
			return;
		}
		if (policy.minConsumers() < 1) {
			throw invalid("auto-scaling.min-consumers", policy.minConsumers(), "must be at least 1");
		}
		if (policy.maxConsumers() < policy.minConsumers()) {
			throw invalid("auto-scaling.max-consumers", policy.maxConsumers(),
					"must be at least auto-scaling.min-consumers (" + policy.minConsumers() + ")");
		}
		if (policy.messagesPerConsumer() < 1) {
			throw invalid("auto-scaling.messages-per-consumer", policy.messagesPerConsumer(), "must be at least 1");
		}
		if (policy.checkInterval().toMillis() <= 0) {
			throw invalid("auto-scaling.check-interval", policy.checkInterval(), "must be positive");
		}
		if (policy.scaleDownCooldown().isNegative()) {
			throw invalid("auto-scaling.scale-down-cooldown", policy.scaleDownCooldown(), "must not be negative");
		}
		if (Boolean.TRUE.equals(this.singleActiveConsumer)) {
			throw invalid("auto-scaling.max-consumers", policy.maxConsumers(),
					"only one consumer of a single-active-consumer queue gets messages, so scaling adds idle ones");
		}
	}

	private void checkTtl(String property, Duration value) {
		if (value.isNegative() || value.compareTo(MAX_TTL) > 0) {
			throw invalid(property, value, "must be between 0 and " + MAX_TTL);
		}
	}

	private InvalidConfigurationPropertyValueException invalid(String property, @Nullable Object value,
			String reason) {
		return new InvalidConfigurationPropertyValueException("hare.listeners." + this.id + "." + property, value,
				reason + " (Hare listener '" + this.id + "', from @HareListener or properties)");
	}


	/**
	 * The prefetch of a stream listener when none is set: streams require one.
	 */
	public static final int DEFAULT_STREAM_PREFETCH = 250;

	private @Nullable String streamOffset;

	private @Nullable Boolean singleActiveConsumer;

	private @Nullable AutoScalingPolicy autoScaling;

	/**
	 * Return where a stream listener starts reading, as written: {@code next}, {@code first},
	 * {@code last}, an offset, an ISO-8601 timestamp or a duration meaning "that long ago".
	 * @return the offset, or {@code null} for {@code next}
	 */
	public @Nullable String getStreamOffset() {
		return this.streamOffset;
	}

	public void setStreamOffset(@Nullable String streamOffset) {
		this.streamOffset = streamOffset;
	}

	/**
	 * Return whether the queue is declared with {@code x-single-active-consumer}, so that one
	 * consumer among all instances gets its messages.
	 * @return whether the queue has a single active consumer, or {@code null} if not set
	 */
	public @Nullable Boolean getSingleActiveConsumer() {
		return this.singleActiveConsumer;
	}

	public void setSingleActiveConsumer(@Nullable Boolean singleActiveConsumer) {
		this.singleActiveConsumer = singleActiveConsumer;
	}

	/**
	 * Return how the auto-scaler sizes this listener.
	 * @return the policy, or {@code null} for a fixed number of consumers
	 */
	public @Nullable AutoScalingPolicy getAutoScaling() {
		return this.autoScaling;
	}

	public void setAutoScaling(@Nullable AutoScalingPolicy autoScaling) {
		this.autoScaling = autoScaling;
	}

	/**
	 * Return where a stream listener starts reading.
	 * @return the parsed offset, {@link StreamOffset#NEXT} when none is set
	 * @throws InvalidConfigurationPropertyValueException if the offset cannot be parsed
	 */
	public StreamOffset effectiveStreamOffset() {
		if (this.streamOffset == null || this.streamOffset.isBlank()) {
			return StreamOffset.NEXT;
		}
		try {
			return StreamOffset.parse(this.streamOffset);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("stream-offset", this.streamOffset, String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Return the number of concurrent consumers; an alias of {@link #getConcurrency()}.
	 * @return the number of consumers, or {@code null} if not set
	 */
	public @Nullable Integer getConsumers() {
		return this.concurrency;
	}

	/**
	 * Set the number of concurrent consumers; an alias of {@link #setConcurrency(Integer)}.
	 * @param consumers the number of consumers
	 */
	public void setConsumers(@Nullable Integer consumers) {
		this.concurrency = consumers;
	}

	private Map<String, Object> queueArguments() {
		return Boolean.TRUE.equals(this.singleActiveConsumer) ? Map.of("x-single-active-consumer", true) : Map.of();
	}

	public @Nullable RetryBackoff getRetryBackoff() {
		return this.retryBackoff;
	}

	public void setRetryBackoff(@Nullable RetryBackoff retryBackoff) {
		this.retryBackoff = retryBackoff;
	}

	public @Nullable Duration getBackoffInitial() {
		return this.backoffInitial;
	}

	public void setBackoffInitial(@Nullable Duration backoffInitial) {
		this.backoffInitial = backoffInitial;
	}

	public @Nullable Double getBackoffMultiplier() {
		return this.backoffMultiplier;
	}

	public void setBackoffMultiplier(@Nullable Double backoffMultiplier) {
		this.backoffMultiplier = backoffMultiplier;
	}

	public @Nullable Duration getBackoffMax() {
		return this.backoffMax;
	}

	public void setBackoffMax(@Nullable Duration backoffMax) {
		this.backoffMax = backoffMax;
	}

	public @Nullable Double getBackoffJitter() {
		return this.backoffJitter;
	}

	public void setBackoffJitter(@Nullable Double backoffJitter) {
		this.backoffJitter = backoffJitter;
	}

	public RetryBackoff effectiveRetryBackoff() {
		return (this.retryBackoff != null) ? this.retryBackoff : RetryBackoff.FIXED;
	}

	/**
	 * Return the exponential backoff these settings describe, with defaults for what is unset.
	 * @return the backoff
	 */
	public ExponentialBackoff exponentialBackoff() {
		Duration initial = (this.backoffInitial != null) ? this.backoffInitial : DEFAULT_BACKOFF_INITIAL;
		Duration max = (this.backoffMax != null) ? this.backoffMax
				: (initial.compareTo(DEFAULT_BACKOFF_MAX) > 0) ? initial : DEFAULT_BACKOFF_MAX;
		return new ExponentialBackoff(initial,
				(this.backoffMultiplier != null) ? this.backoffMultiplier : DEFAULT_BACKOFF_MULTIPLIER, max,
				(this.backoffJitter != null) ? this.backoffJitter : 0);
	}

	private void validateBackoff() {
		if (effectiveRetryBackoff() != RetryBackoff.EXPONENTIAL) {
			// Backoff settings without the backoff would silently do nothing.
			if (this.backoffInitial != null || this.backoffMultiplier != null || this.backoffMax != null
					|| this.backoffJitter != null) {
				throw invalid("retry.backoff", effectiveRetryBackoff(),
						"must be exponential for retry.initial, multiplier, max or jitter to apply");
			}
			return;
		}
		if (this.backoffInitial != null && (this.backoffInitial.isNegative() || this.backoffInitial.isZero()
				|| this.backoffInitial.compareTo(DelayTopology.MAX_DELAY) > 0)) {
			throw invalid("retry.initial", this.backoffInitial, "must be positive and at most " + DelayTopology.MAX_DELAY);
		}
		if (this.backoffMultiplier != null && !(this.backoffMultiplier >= 1 && Double.isFinite(this.backoffMultiplier))) {
			throw invalid("retry.multiplier", this.backoffMultiplier, "must be at least 1");
		}
		if (this.backoffMax != null) {
			Duration initial = (this.backoffInitial != null) ? this.backoffInitial : DEFAULT_BACKOFF_INITIAL;
			if (this.backoffMax.compareTo(initial) < 0) {
				throw invalid("retry.max", this.backoffMax, "must not be shorter than retry.initial, " + initial);
			}
			if (this.backoffMax.compareTo(DelayTopology.MAX_DELAY) > 0) {
				throw invalid("retry.max", this.backoffMax, "must not be longer than " + DelayTopology.MAX_DELAY);
			}
		}
		if (this.backoffJitter != null && !(this.backoffJitter >= 0 && this.backoffJitter <= 1)) {
			throw invalid("retry.jitter", this.backoffJitter, "must be between 0 and 1");
		}
	}

}
