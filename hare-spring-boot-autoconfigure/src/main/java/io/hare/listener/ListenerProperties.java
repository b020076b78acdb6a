package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.retry.RetryBackoff;
import io.hare.topology.QueueType;

import org.springframework.util.unit.DataSize;

/**
 * The settings of a listener, one layer of them: bound for {@code hare.defaults} and for each
 * {@code hare.listeners.<id>}, read from a {@link HareListener @HareListener}, and handed to
 * each {@link HareListenerCustomizer}. A {@code null} value is not set: a lower layer, and in
 * the end Hare's default, decides it.
 * <p>
 * A plain JavaBean, long only for its documented fields and accessors, which the binder and
 * the IDE metadata need.
 */
public class ListenerProperties {

	/**
	 * Exchange to bind the queue to; none consumes the queue alone.
	 */
	private @Nullable String exchange;

	/**
	 * Type of the exchange: direct, topic, fanout or headers.
	 */
	private @Nullable String exchangeType;

	/**
	 * Routing keys to bind the queue with; the queue name when not set.
	 */
	private @Nullable List<String> routingKeys;

	/**
	 * Arguments of the bindings, such as x-match and the header values a headers exchange
	 * matches.
	 */
	private @Nullable Map<String, String> bindingArguments;

	/**
	 * Number of unacknowledged messages each consumer may hold; when not set,
	 * spring.rabbitmq.listener.simple.prefetch, else Spring AMQP's default.
	 */
	private @Nullable Integer prefetch;

	/**
	 * Number of concurrent consumers; when not set,
	 * spring.rabbitmq.listener.simple.concurrency, else 1.
	 */
	private @Nullable Integer concurrency;

	/**
	 * Number of concurrent consumers; an alias of concurrency, which may be set as well only
	 * to the same value.
	 */
	private @Nullable Integer consumers;

	/**
	 * Name of the connection (hare.connections.<name>) to consume on; Spring Boot's when not
	 * set.
	 */
	private @Nullable String connection;

	/**
	 * Names of MessagePostProcessor beans a delivered message goes through, in order, before
	 * its handler (after a compressed body was decompressed).
	 */
	private @Nullable List<String> postProcessors;

	/**
	 * Whether to run the handler in a database transaction that records the message's id in
	 * the inbox table (hare.inbox.*), so that a redelivered message is acked without calling
	 * the handler again.
	 */
	private @Nullable Boolean idempotent;

	/**
	 * The queue the listener consumes.
	 */
	private final Queue queue = new Queue();

	/**
	 * How a failed message is retried and dead-lettered.
	 */
	private final Retry retry = new Retry();

	/**
	 * How the auto-scaler sizes the listener from the depth of its queue.
	 */
	private final AutoScaling autoScaling = new AutoScaling();

	/**
	 * How a stream listener reads its stream.
	 */
	private final Stream stream = new Stream();

	/**
	 * How a batch listener, whose method takes a List, receives its messages.
	 */
	private final Batch batch = new Batch();

	/**
	 * The listener's kill switch: when too many messages fail it stops consuming for a while.
	 */
	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	/**
	 * How handled messages are acknowledged to the broker.
	 */
	private final Ack ack = new Ack();

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

	public @Nullable List<String> getRoutingKeys() {
		return this.routingKeys;
	}

	public void setRoutingKeys(@Nullable List<String> routingKeys) {
		this.routingKeys = routingKeys;
	}

	public @Nullable Map<String, String> getBindingArguments() {
		return this.bindingArguments;
	}

	public void setBindingArguments(@Nullable Map<String, String> bindingArguments) {
		this.bindingArguments = bindingArguments;
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

	/**
	 * Return the number of concurrent consumers, as set through the alias of
	 * {@link #getConcurrency()}.
	 * @return the number of consumers, or {@code null} if not set
	 */
	public @Nullable Integer getConsumers() {
		return this.consumers;
	}

	/**
	 * Set the number of concurrent consumers; an alias of {@link #setConcurrency(Integer)}.
	 * @param consumers the number of consumers
	 */
	public void setConsumers(@Nullable Integer consumers) {
		this.consumers = consumers;
	}

	public @Nullable String getConnection() {
		return this.connection;
	}

	public void setConnection(@Nullable String connection) {
		this.connection = connection;
	}

	public @Nullable List<String> getPostProcessors() {
		return this.postProcessors;
	}

	public void setPostProcessors(@Nullable List<String> postProcessors) {
		this.postProcessors = postProcessors;
	}

	public @Nullable Boolean getIdempotent() {
		return this.idempotent;
	}

	public void setIdempotent(@Nullable Boolean idempotent) {
		this.idempotent = idempotent;
	}

	public Queue getQueue() {
		return this.queue;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public AutoScaling getAutoScaling() {
		return this.autoScaling;
	}

	public Stream getStream() {
		return this.stream;
	}

	public Batch getBatch() {
		return this.batch;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public Ack getAck() {
		return this.ack;
	}

	/**
	 * How handled messages are acknowledged: one multiple ack for several messages costs the
	 * broker less than one ack each; after a crash the unacknowledged ones are redelivered.
	 */
	public static class Ack {

		/**
		 * Most handled messages acknowledged together, at most the prefetch; 1 acks each
		 * message on its own. Defaults to 50, or half the prefetch if that is less.
		 */
		private @Nullable Integer batchSize;

		/**
		 * Longest a handled message waits for its acknowledgement when fewer than batch-size
		 * messages follow it.
		 */
		private @Nullable Duration batchTimeout;

		public @Nullable Integer getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(@Nullable Integer batchSize) {
			this.batchSize = batchSize;
		}

		public @Nullable Duration getBatchTimeout() {
			return this.batchTimeout;
		}

		public void setBatchTimeout(@Nullable Duration batchTimeout) {
			this.batchTimeout = batchTimeout;
		}

	}

	/**
	 * The listener's kill switch: when the rate of failed messages passes a threshold, the
	 * listener stops consuming (messages stay in the queue), then tries a few after a wait.
	 */
	public static class CircuitBreaker {

		/**
		 * Whether the listener has a circuit breaker.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Percentage of failed messages, among the last sliding-window-size, that stops the
		 * listener.
		 */
		private @Nullable Float failureRateThreshold;

		/**
		 * Number of the last messages whose outcomes count.
		 */
		private @Nullable Integer slidingWindowSize;

		/**
		 * Number of messages that must have been handled before the failure rate counts.
		 */
		private @Nullable Integer minimumNumberOfCalls;

		/**
		 * How long the listener stays stopped before it tries again.
		 */
		private @Nullable Duration waitInOpenState;

		/**
		 * Number of messages the listener handles on trial before it decides to consume again
		 * or stop again.
		 */
		private @Nullable Integer permittedCallsInHalfOpenState;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public @Nullable Integer getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(@Nullable Integer slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public @Nullable Integer getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(@Nullable Integer minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public @Nullable Duration getWaitInOpenState() {
			return this.waitInOpenState;
		}

		public void setWaitInOpenState(@Nullable Duration waitInOpenState) {
			this.waitInOpenState = waitInOpenState;
		}

		public @Nullable Integer getPermittedCallsInHalfOpenState() {
			return this.permittedCallsInHalfOpenState;
		}

		public void setPermittedCallsInHalfOpenState(@Nullable Integer permittedCallsInHalfOpenState) {
			this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
		}

	}

	/**
	 * How a batch listener, whose method takes a List, receives its messages.
	 */
	public static class Batch {

		/**
		 * Most messages in one batch.
		 */
		private @Nullable Integer size;

		/**
		 * How long to wait for more messages before handing over a smaller batch.
		 */
		private @Nullable Duration receiveTimeout;

		public @Nullable Integer getSize() {
			return this.size;
		}

		public void setSize(@Nullable Integer size) {
			this.size = size;
		}

		public @Nullable Duration getReceiveTimeout() {
			return this.receiveTimeout;
		}

		public void setReceiveTimeout(@Nullable Duration receiveTimeout) {
			this.receiveTimeout = receiveTimeout;
		}

	}

	/**
	 * The queue a listener consumes.
	 */
	public static class Queue {

		/**
		 * Name of the queue; required here or in the annotation.
		 */
		private @Nullable String name;

		/**
		 * Type of the queue: classic, quorum or stream.
		 */
		private @Nullable QueueType type;

		/**
		 * Time-to-live of messages in the queue (x-message-ttl); none when not set.
		 */
		private @Nullable Duration messageTtl;

		/**
		 * Whether to declare the queue with x-single-active-consumer, so that among all
		 * instances only one consumer gets messages and another takes over when it goes.
		 */
		private @Nullable Boolean singleActiveConsumer;

		/**
		 * Whether every application instance gets every message: each declares a queue of its
		 * own, named after queue.name, exclusive and deleted with its connection, with no retry
		 * or dead-letter queue.
		 */
		private @Nullable Boolean broadcast;

		/**
		 * Most messages the queue holds (x-max-length); unbounded when not set.
		 */
		private @Nullable Long maxLength;

		/**
		 * Most bytes of message bodies the queue holds (x-max-length-bytes); unbounded when
		 * not set.
		 */
		private @Nullable DataSize maxLengthBytes;

		/**
		 * What a full queue does with a new message (x-overflow): drop-head,
		 * reject-publish or, for a classic queue, reject-publish-dlx.
		 */
		private @Nullable String overflow;

		/**
		 * Highest priority of a classic priority queue (x-max-priority), 1 to 255.
		 */
		private @Nullable Integer maxPriority;

		/**
		 * Deliveries of a message after which a quorum queue drops it (x-delivery-limit).
		 */
		private @Nullable Integer deliveryLimit;

		/**
		 * Number of nodes a quorum queue (x-quorum-initial-group-size, also for its dead-letter
		 * and retry delay queues) or a stream (x-initial-cluster-size) is replicated to when
		 * declared; RabbitMQ's default when not set.
		 */
		private @Nullable Integer initialGroupSize;

		/**
		 * Where a quorum queue or stream puts its leader (x-queue-leader-locator):
		 * client-local or balanced.
		 */
		private @Nullable String leaderLocator;

		/**
		 * Further arguments of the queue, such as x-queue-mode; a value that reads as a whole
		 * number or as true or false is sent as one.
		 */
		private @Nullable Map<String, String> arguments;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable QueueType getType() {
			return this.type;
		}

		public void setType(@Nullable QueueType type) {
			this.type = type;
		}

		public @Nullable Duration getMessageTtl() {
			return this.messageTtl;
		}

		public void setMessageTtl(@Nullable Duration messageTtl) {
			this.messageTtl = messageTtl;
		}

		public @Nullable Boolean getSingleActiveConsumer() {
			return this.singleActiveConsumer;
		}

		public void setSingleActiveConsumer(@Nullable Boolean singleActiveConsumer) {
			this.singleActiveConsumer = singleActiveConsumer;
		}

		public @Nullable Boolean getBroadcast() {
			return this.broadcast;
		}

		public void setBroadcast(@Nullable Boolean broadcast) {
			this.broadcast = broadcast;
		}

		public @Nullable Long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(@Nullable Long maxLength) {
			this.maxLength = maxLength;
		}

		public @Nullable DataSize getMaxLengthBytes() {
			return this.maxLengthBytes;
		}

		public void setMaxLengthBytes(@Nullable DataSize maxLengthBytes) {
			this.maxLengthBytes = maxLengthBytes;
		}

		public @Nullable String getOverflow() {
			return this.overflow;
		}

		public void setOverflow(@Nullable String overflow) {
			this.overflow = overflow;
		}

		public @Nullable Integer getMaxPriority() {
			return this.maxPriority;
		}

		public void setMaxPriority(@Nullable Integer maxPriority) {
			this.maxPriority = maxPriority;
		}

		public @Nullable Integer getDeliveryLimit() {
			return this.deliveryLimit;
		}

		public void setDeliveryLimit(@Nullable Integer deliveryLimit) {
			this.deliveryLimit = deliveryLimit;
		}

		public @Nullable Integer getInitialGroupSize() {
			return this.initialGroupSize;
		}

		public void setInitialGroupSize(@Nullable Integer initialGroupSize) {
			this.initialGroupSize = initialGroupSize;
		}

		public @Nullable String getLeaderLocator() {
			return this.leaderLocator;
		}

		public void setLeaderLocator(@Nullable String leaderLocator) {
			this.leaderLocator = leaderLocator;
		}

		public @Nullable Map<String, String> getArguments() {
			return this.arguments;
		}

		public void setArguments(@Nullable Map<String, String> arguments) {
			this.arguments = arguments;
		}

	}

	/**
	 * How a listener retries a failed message before it dead-letters it.
	 */
	public static class Retry {

		/**
		 * Number of retries after the first attempt before a message is dead-lettered.
		 */
		private @Nullable Integer limit;

		/**
		 * Fixed delay before each retry.
		 */
		private @Nullable Duration delay;

		/**
		 * Cascade of delays: retry i waits delays[min(i, n - 1)]; set it or delay, not both.
		 */
		private @Nullable List<Duration> delays;

		/**
		 * Exceptions that dead-letter a message at once.
		 */
		private @Nullable List<Class<? extends Throwable>> nonRetryable;

		/**
		 * Exceptions that alone are retried, anywhere in the cause chain; every exception but
		 * the non-retryable ones when not set.
		 */
		private @Nullable List<Class<? extends Throwable>> retryable;

		/**
		 * Number of times to call the handler again at once, in place, before a failed
		 * message takes the delayed path.
		 */
		private @Nullable Integer immediate;

		/**
		 * How long to wait before each immediate retry, holding the message; at most 1 minute.
		 */
		private @Nullable Duration immediateDelay;

		/**
		 * How the delay grows from one retry to the next.
		 */
		private final Backoff backoff = new Backoff();

		public @Nullable Integer getLimit() {
			return this.limit;
		}

		public void setLimit(@Nullable Integer limit) {
			this.limit = limit;
		}

		public @Nullable Duration getDelay() {
			return this.delay;
		}

		public void setDelay(@Nullable Duration delay) {
			this.delay = delay;
		}

		public @Nullable List<Duration> getDelays() {
			return this.delays;
		}

		public void setDelays(@Nullable List<Duration> delays) {
			this.delays = delays;
		}

		public @Nullable List<Class<? extends Throwable>> getNonRetryable() {
			return this.nonRetryable;
		}

		public void setNonRetryable(@Nullable List<Class<? extends Throwable>> nonRetryable) {
			this.nonRetryable = nonRetryable;
		}

		public @Nullable List<Class<? extends Throwable>> getRetryable() {
			return this.retryable;
		}

		public void setRetryable(@Nullable List<Class<? extends Throwable>> retryable) {
			this.retryable = retryable;
		}

		public @Nullable Integer getImmediate() {
			return this.immediate;
		}

		public void setImmediate(@Nullable Integer immediate) {
			this.immediate = immediate;
		}

		public @Nullable Duration getImmediateDelay() {
			return this.immediateDelay;
		}

		public void setImmediateDelay(@Nullable Duration immediateDelay) {
			this.immediateDelay = immediateDelay;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

	}

	/**
	 * How the delay before a retry grows with each attempt.
	 */
	public static class Backoff {

		/**
		 * How to wait before each retry: fixed waits retry.delay or retry.delays; exponential
		 * waits a delay that grows with each attempt, per message, through Hare's delay levels.
		 */
		private @Nullable RetryBackoff type;

		/**
		 * Delay of the exponential backoff after the first failed attempt.
		 */
		private @Nullable Duration initial;

		/**
		 * Factor, at least 1, each further failed attempt multiplies the exponential backoff's
		 * delay by.
		 */
		private @Nullable Double multiplier;

		/**
		 * Longest delay of the exponential backoff.
		 */
		private @Nullable Duration max;

		/**
		 * Fraction, from 0 to 1, by which the exponential backoff's delay randomly moves
		 * either way.
		 */
		private @Nullable Double jitter;

		public @Nullable RetryBackoff getType() {
			return this.type;
		}

		public void setType(@Nullable RetryBackoff type) {
			this.type = type;
		}

		public @Nullable Duration getInitial() {
			return this.initial;
		}

		public void setInitial(@Nullable Duration initial) {
			this.initial = initial;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = max;
		}

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * How the auto-scaler sizes a listener from the depth of its queue.
	 */
	public static class AutoScaling {

		/**
		 * Whether to auto-scale the listener; on when max-consumers is set.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Fewest consumers to run.
		 */
		private @Nullable Integer minConsumers;

		/**
		 * Most consumers to run; setting it turns auto-scaling on.
		 */
		private @Nullable Integer maxConsumers;

		/**
		 * Ready messages one consumer is expected to handle: the target is the depth divided
		 * by this, rounded up.
		 */
		private @Nullable Integer messagesPerConsumer;

		/**
		 * How often to read the depth of the queue.
		 */
		private @Nullable Duration checkInterval;

		/**
		 * How long a lower target must hold before consumers are stopped; twice the check
		 * interval when not set.
		 */
		private @Nullable Duration scaleDownCooldown;

		/**
		 * Whether to count the consumers other instances run on the queue toward the target,
		 * each instance taking its share, so that the instances together reach it.
		 */
		private @Nullable Boolean clusterAware;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Integer getMinConsumers() {
			return this.minConsumers;
		}

		public void setMinConsumers(@Nullable Integer minConsumers) {
			this.minConsumers = minConsumers;
		}

		public @Nullable Integer getMaxConsumers() {
			return this.maxConsumers;
		}

		public void setMaxConsumers(@Nullable Integer maxConsumers) {
			this.maxConsumers = maxConsumers;
		}

		public @Nullable Integer getMessagesPerConsumer() {
			return this.messagesPerConsumer;
		}

		public void setMessagesPerConsumer(@Nullable Integer messagesPerConsumer) {
			this.messagesPerConsumer = messagesPerConsumer;
		}

		public @Nullable Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(@Nullable Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public @Nullable Duration getScaleDownCooldown() {
			return this.scaleDownCooldown;
		}

		public void setScaleDownCooldown(@Nullable Duration scaleDownCooldown) {
			this.scaleDownCooldown = scaleDownCooldown;
		}

		public @Nullable Boolean getClusterAware() {
			return this.clusterAware;
		}

		public void setClusterAware(@Nullable Boolean clusterAware) {
			this.clusterAware = clusterAware;
		}

	}

	/**
	 * How a stream listener reads its stream.
	 */
	public static class Stream {

		/**
		 * Where a stream listener starts reading: next, first, last, an offset such as 42, an
		 * ISO-8601 timestamp such as 2024-05-01T08:00:00Z, or a duration meaning that long ago
		 * such as PT1H or 1h.
		 */
		private @Nullable String offset;

		/**
		 * How long a stream keeps a message (x-max-age), in whole seconds or more; with
		 * neither this nor queue.max-length-bytes a stream grows forever.
		 */
		private @Nullable Duration maxAge;

		/**
		 * Size of the segment files of a stream (x-stream-max-segment-size-bytes); retention
		 * removes whole segments.
		 */
		private @Nullable DataSize maxSegmentSize;

		/**
		 * Name under which the broker stores the listener's offset when it reads over the
		 * stream protocol; the application name and listener id when not set. Instances that
		 * share a name share the stored offset.
		 */
		private @Nullable String consumerName;

		/**
		 * Store the offset on the broker after this many handled messages, over the stream
		 * protocol; 1 stores after each. A crash replays at most the messages handled since the
		 * last store.
		 */
		private @Nullable Integer storeEvery;

		/**
		 * Store the offset on the broker at least this often while messages are handled, over
		 * the stream protocol, however few they were; longer than 1s.
		 */
		private @Nullable Duration storeInterval;

		/**
		 * Name of a queue or stream that receives a copy of each message the handler failed
		 * on, with Hare's reason headers, confirmed before the listener moves past it; none
		 * when not set. Declared as a stream when it does not exist.
		 */
		private @Nullable String deadLetter;

		public @Nullable String getDeadLetter() {
			return this.deadLetter;
		}

		public void setDeadLetter(@Nullable String deadLetter) {
			this.deadLetter = deadLetter;
		}

		public @Nullable String getConsumerName() {
			return this.consumerName;
		}

		public void setConsumerName(@Nullable String consumerName) {
			this.consumerName = consumerName;
		}

		public @Nullable Integer getStoreEvery() {
			return this.storeEvery;
		}

		public void setStoreEvery(@Nullable Integer storeEvery) {
			this.storeEvery = storeEvery;
		}

		public @Nullable Duration getStoreInterval() {
			return this.storeInterval;
		}

		public void setStoreInterval(@Nullable Duration storeInterval) {
			this.storeInterval = storeInterval;
		}

		public @Nullable String getOffset() {
			return this.offset;
		}

		public void setOffset(@Nullable String offset) {
			this.offset = offset;
		}

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = maxAge;
		}

		public @Nullable DataSize getMaxSegmentSize() {
			return this.maxSegmentSize;
		}

		public void setMaxSegmentSize(@Nullable DataSize maxSegmentSize) {
			this.maxSegmentSize = maxSegmentSize;
		}

	}

}
