package io.hare.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.listener.HareListenerSpec;
import io.hare.scaling.AutoScalingPolicy;
import io.hare.topology.QueueType;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Hare.
 */
@ConfigurationProperties("hare")
public class HareProperties {

	/**
	 * Settings every listener starts from.
	 */
	private final Defaults defaults = new Defaults();

	/**
	 * Settings of individual listeners, by listener id; they win over the annotation.
	 */
	private final Map<String, Listener> listeners = new LinkedHashMap<>();

	private final Topology topology = new Topology();

	/**
	 * How long to wait for the broker to confirm a retried or dead-lettered message before the
	 * original is requeued.
	 */
	private Duration confirmTimeout = Duration.ofSeconds(10);

	public Defaults getDefaults() {
		return this.defaults;
	}

	public Map<String, Listener> getListeners() {
		return this.listeners;
	}

	public Topology getTopology() {
		return this.topology;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Settings every listener starts from, unless its annotation or properties say otherwise.
	 */
	public static class Defaults {

		/**
		 * Type of the exchanges listeners bind to: direct, topic, fanout or headers.
		 */
		private String exchangeType = HareListenerSpec.DEFAULT_EXCHANGE_TYPE;

		/**
		 * Type of the work queues.
		 */
		private QueueType queueType = QueueType.CLASSIC;

		/**
		 * Number of unacknowledged messages each consumer may hold; Spring AMQP's default when
		 * not set.
		 */
		private @Nullable Integer prefetch;

		/**
		 * Number of concurrent consumers per listener.
		 */
		private int concurrency = HareListenerSpec.DEFAULT_CONCURRENCY;

		private final DefaultRetry retry = new DefaultRetry();

		public String getExchangeType() {
			return this.exchangeType;
		}

		public void setExchangeType(String exchangeType) {
			this.exchangeType = exchangeType;
		}

		public QueueType getQueueType() {
			return this.queueType;
		}

		public void setQueueType(QueueType queueType) {
			this.queueType = queueType;
		}

		public @Nullable Integer getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(@Nullable Integer prefetch) {
			this.prefetch = prefetch;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public DefaultRetry getRetry() {
			return this.retry;
		}

	}

	/**
	 * How every listener retries, unless its annotation or properties say otherwise.
	 */
	public static class DefaultRetry {

		/**
		 * Number of retries after the first attempt before a message is dead-lettered.
		 */
		private int limit = HareListenerSpec.DEFAULT_RETRY_LIMIT;

		/**
		 * Fixed delay before each retry.
		 */
		private Duration delay = HareListenerSpec.DEFAULT_RETRY_DELAY;

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

	}

	/**
	 * Settings of one listener; each one set wins over the annotation.
	 */
	public static class Listener {

		/**
		 * Queue to consume.
		 */
		private @Nullable String queue;

		/**
		 * Exchange to bind the queue to.
		 */
		private @Nullable String exchange;

		/**
		 * Type of the exchange: direct, topic, fanout or headers.
		 */
		private @Nullable String exchangeType;

		/**
		 * Routing keys to bind the queue with.
		 */
		private @Nullable List<String> routingKeys;

		/**
		 * Type of the queue.
		 */
		private @Nullable QueueType queueType;

		/**
		 * Number of unacknowledged messages each consumer may hold.
		 */
		private @Nullable Integer prefetch;

		/**
		 * Number of concurrent consumers.
		 */
		private @Nullable Integer concurrency;

		/**
		 * Time-to-live of messages in the queue (x-message-ttl); none when not set.
		 */
		private @Nullable Duration messageTtl;

		/**
		 * Name of the connection (hare.connections.<name>) to consume on.
		 */
		private @Nullable String connection;

		private final Retry retry = new Retry();

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

		public @Nullable List<String> getRoutingKeys() {
			return this.routingKeys;
		}

		public void setRoutingKeys(@Nullable List<String> routingKeys) {
			this.routingKeys = routingKeys;
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

		public Retry getRetry() {
			return this.retry;
		}

		/**
		 * Where a stream listener starts reading: next, first, last, an offset such as 42, an
		 * ISO-8601 timestamp such as 2024-05-01T08:00:00Z, or a duration meaning that long ago
		 * such as PT1H or 1h.
		 */
		private @Nullable String streamOffset;

		/**
		 * Number of concurrent consumers; an alias of concurrency, which may be set as well
		 * only to the same value.
		 */
		private @Nullable Integer consumers;

		/**
		 * Whether to declare the queue with x-single-active-consumer, so that among all
		 * instances only one consumer gets messages and another takes over when it goes.
		 */
		private @Nullable Boolean singleActiveConsumer;

		private final AutoScaling autoScaling = new AutoScaling();

		public @Nullable String getStreamOffset() {
			return this.streamOffset;
		}

		public void setStreamOffset(@Nullable String streamOffset) {
			this.streamOffset = streamOffset;
		}

		public @Nullable Integer getConsumers() {
			return this.consumers;
		}

		public void setConsumers(@Nullable Integer consumers) {
			this.consumers = consumers;
		}

		public @Nullable Boolean getSingleActiveConsumer() {
			return this.singleActiveConsumer;
		}

		public void setSingleActiveConsumer(@Nullable Boolean singleActiveConsumer) {
			this.singleActiveConsumer = singleActiveConsumer;
		}

		public AutoScaling getAutoScaling() {
			return this.autoScaling;
		}

	}

	/**
	 * How one listener retries.
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
		 * Cascade of delays: retry i waits delays[min(i, n - 1)]; wins over the fixed delay.
		 */
		private @Nullable List<Duration> delays;

		/**
		 * Exceptions that dead-letter a message at once.
		 */
		private List<Class<? extends Throwable>> nonRetryable = new ArrayList<>();

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

		public List<Class<? extends Throwable>> getNonRetryable() {
			return this.nonRetryable;
		}

		public void setNonRetryable(List<Class<? extends Throwable>> nonRetryable) {
			this.nonRetryable = nonRetryable;
		}

	}

	/**
	 * How Hare declares its topology.
	 */
	public static class Topology {

		/**
		 * Whether to log a declaration the broker refuses, such as a queue that exists with
		 * other arguments, and start anyway, instead of failing the start.
		 */
		private boolean ignoreDeclarationConflicts;

		public boolean isIgnoreDeclarationConflicts() {
			return this.ignoreDeclarationConflicts;
		}

		public void setIgnoreDeclarationConflicts(boolean ignoreDeclarationConflicts) {
			this.ignoreDeclarationConflicts = ignoreDeclarationConflicts;
		}

	}

	/**
	 * How the auto-scaler sizes one listener from the depth of its queue.
	 */
	public static class AutoScaling {

		/**
		 * Whether to auto-scale the listener; on by default when max-consumers is set.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Fewest consumers to run.
		 */
		private int minConsumers = 1;

		/**
		 * Most consumers to run; setting it turns auto-scaling on.
		 */
		private @Nullable Integer maxConsumers;

		/**
		 * Ready messages one consumer is expected to handle: the target is the depth divided
		 * by this, rounded up.
		 */
		private int messagesPerConsumer = AutoScalingPolicy.DEFAULT_MESSAGES_PER_CONSUMER;

		/**
		 * How often to read the depth of the queue.
		 */
		private Duration checkInterval = AutoScalingPolicy.DEFAULT_CHECK_INTERVAL;

		/**
		 * How long a lower target must hold before consumers are stopped; twice the check
		 * interval when not set.
		 */
		private @Nullable Duration scaleDownCooldown;

		/**
		 * Whether to count the consumers other instances run on the queue toward the target,
		 * each instance taking its share, so that the instances together reach it instead of
		 * each reaching it.
		 */
		private boolean clusterAware;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public int getMinConsumers() {
			return this.minConsumers;
		}

		public void setMinConsumers(int minConsumers) {
			this.minConsumers = minConsumers;
		}

		public @Nullable Integer getMaxConsumers() {
			return this.maxConsumers;
		}

		public void setMaxConsumers(@Nullable Integer maxConsumers) {
			this.maxConsumers = maxConsumers;
		}

		public int getMessagesPerConsumer() {
			return this.messagesPerConsumer;
		}

		public void setMessagesPerConsumer(int messagesPerConsumer) {
			this.messagesPerConsumer = messagesPerConsumer;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public @Nullable Duration getScaleDownCooldown() {
			return this.scaleDownCooldown;
		}

		public void setScaleDownCooldown(@Nullable Duration scaleDownCooldown) {
			this.scaleDownCooldown = scaleDownCooldown;
		}

		public boolean isClusterAware() {
			return this.clusterAware;
		}

		public void setClusterAware(boolean clusterAware) {
			this.clusterAware = clusterAware;
		}

	}

}
