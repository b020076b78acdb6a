package io.hare.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.hare.listener.BatchSettings;
import io.hare.listener.ListenerSettings;
import io.hare.listener.StreamTracking;
import io.hare.retry.ImmediateRetries;
import io.hare.retry.RetryBackoff;
import io.hare.retry.RetryPolicy;
import io.hare.support.TimeScale;
import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.util.StringUtils;

/**
 * Validates merged listener settings once, naming the source of the first bad value, and
 * builds the immutable {@link ListenerSettings}. Settings that do not apply to a listener
 * fail when set for it and are dropped when inherited. Every check of a listener's settings
 * is here, one short method per group, so that no feature validates settings of its own.
 */
final class ListenerSettingsFactory {

	static final String DEFAULT_EXCHANGE_TYPE = ExchangeTypes.DIRECT;

	static final int DEFAULT_CONCURRENCY = 1;

	/**
	 * The prefetch of a stream listener when none is set: RabbitMQ delivers from a stream only
	 * to a consumer with a prefetch.
	 */
	static final int DEFAULT_STREAM_PREFETCH = 250;

	private static final List<String> EXCHANGE_TYPES = List.of(ExchangeTypes.DIRECT, ExchangeTypes.TOPIC,
			ExchangeTypes.FANOUT, ExchangeTypes.HEADERS);

	private static final List<String> X_MATCH = List.of("all", "any", "all-with-x", "any-with-x");

	private static final List<String> RETRY = List.of("retry.limit", "retry.delay", "retry.delays",
			"retry.nonRetryable", "retry.retryable", "retry.immediate", "retry.immediateDelay", "retry.backoff.type");

	private final Set<String> connections;

	private final boolean delayLevelsEnabled;

	private TimeScale timeScale = TimeScale.NONE;

	private String namePrefix = "";

	private Supplier<@Nullable String> inboxMissing = () -> "hare.inbox.enabled is not set";

	/**
	 * Create a factory.
	 * @param connections the names of the connections a listener may pick
	 * @param delayLevelsEnabled whether Hare's delay levels, which exponential backoff waits
	 * in, are on
	 */
	ListenerSettingsFactory(Set<String> connections, boolean delayLevelsEnabled) {
		this.connections = connections;
		this.delayLevelsEnabled = delayLevelsEnabled;
	}

	/**
	 * Scale the fixed and cascade retry delays, for tests ({@code hare.test.time-scale}): the
	 * retry policy and the delay queues' TTLs both take them from here. An exponential
	 * backoff is scaled where its delays enter the delay levels.
	 * @param timeScale the time scale
	 */
	void setTimeScale(TimeScale timeScale) {
		this.timeScale = timeScale;
	}

	/**
	 * Prefix every queue and exchange name, for tests ({@code hare.test.name-prefix}).
	 * @param namePrefix the prefix, empty for none
	 */
	void setNamePrefix(String namePrefix) {
		this.namePrefix = namePrefix;
	}

	/**
	 * Tell why Hare's inbox, which idempotent listeners need, is off.
	 * @param inboxMissing the reason, or {@code null} when the inbox is there
	 */
	void setInboxMissing(Supplier<@Nullable String> inboxMissing) {
		this.inboxMissing = inboxMissing;
	}

	ListenerSettings create(MergedListenerProperties settings, boolean batch) {
		String queue = settings.get("queue.name");
		if (!StringUtils.hasText(queue)) {
			throw settings.invalid("queue.name", "a Hare listener needs a queue name");
		}
		QueueType queueType = settings.require("queue.type", QueueType.CLASSIC);
		boolean stream = queueType == QueueType.STREAM;
		if (stream) {
			dropWhatAStreamCannotDo(settings);
		}
		boolean broadcast = Boolean.TRUE.equals(settings.get("queue.broadcast"));
		if (broadcast) {
			dropWhatABroadcastCannotDo(settings, queueType);
		}
		RetrySettingsFactory retry = new RetrySettingsFactory(this.timeScale, this.delayLevelsEnabled);
		ListenerTopology topology = topology(settings, queue, queueType, broadcast, retry);
		Integer prefetch = settings.atLeast("prefetch", 1);
		int concurrency = stream ? 1 : settings.require("concurrency", DEFAULT_CONCURRENCY);
		if (concurrency < 1) {
			throw settings.invalid("concurrency", "must be at least 1");
		}
		boolean queueOfItsOwn = stream || broadcast;
		RetryPolicy retryPolicy = queueOfItsOwn ? null : retry.retryPolicy(settings);
		ImmediateRetries immediateRetries = (queueOfItsOwn || batch) ? ImmediateRetries.NONE
				: RetrySettingsFactory.immediateRetries(settings);
		BatchSettings batchSettings = ConsumerSettingsFactory.batch(settings, batch, queueOfItsOwn);
		return new ListenerSettings(settings.id(), topology,
				(prefetch == null && stream) ? Integer.valueOf(DEFAULT_STREAM_PREFETCH) : prefetch, concurrency,
				connection(settings), retryPolicy, ConsumerSettingsFactory.autoScaling(settings), streamOffset(settings),
				immediateRetries, settings.require("postProcessors", List.of()), batchSettings,
				ConsumerSettingsFactory.circuitBreaker(settings, batch || queueOfItsOwn),
				idempotent(settings, batch || broadcast), streamTracking(settings, stream),
				streamDeadLetter(settings, stream, topology.queue()),
				ConsumerSettingsFactory.ack(settings, prefetch, batchSettings, stream));
	}

	private @Nullable String streamDeadLetter(MergedListenerProperties settings, boolean stream, String queue) {
		String deadLetter = settings.get("stream.deadLetter");
		if (deadLetter == null) {
			return null;
		}
		if (!stream) {
			settings.inapplicable("stream.deadLetter", "applies only to a listener whose queue.type is stream; a "
					+ "queue listener dead-letters to its own dead-letter queue");
			return null;
		}
		if (deadLetter.isBlank()) {
			throw settings.invalid("stream.deadLetter", "must not be blank");
		}
		String target = this.namePrefix + deadLetter;
		if (target.equals(queue)) {
			// The listener would read its own copy, fail on it again and copy it again, forever.
			throw settings.invalid("stream.deadLetter", "must not be the stream the listener reads");
		}
		return target;
	}

	private static @Nullable StreamTracking streamTracking(MergedListenerProperties settings, boolean stream) {
		if (!stream) {
			STREAM_TRACKING.forEach((path) -> settings.inapplicable(path,
					"applies only to a listener whose queue.type is stream"));
			return null;
		}
		String consumerName = settings.get("stream.consumerName");
		if (consumerName != null && consumerName.isBlank()) {
			throw settings.invalid("stream.consumerName", "must not be blank");
		}
		Integer storeEvery = settings.atLeast("stream.storeEvery", 1);
		Duration storeInterval = settings.get("stream.storeInterval");
		if (storeInterval != null && storeInterval.compareTo(MIN_STORE_INTERVAL) <= 0) {
			// The stream client refuses a flush interval of 1 second or less, when the listener starts.
			throw settings.invalid("stream.storeInterval", "must be longer than 1s");
		}
		return new StreamTracking(consumerName,
				(storeEvery != null) ? storeEvery : StreamTracking.DEFAULT_STORE_EVERY,
				(storeInterval != null) ? storeInterval : StreamTracking.DEFAULT_STORE_INTERVAL);
	}

	private void dropWhatABroadcastCannotDo(MergedListenerProperties settings, QueueType queueType) {
		if (queueType != QueueType.CLASSIC) {
			throw settings.invalid("queue.broadcast", "a broadcast queue is exclusive to its instance, which only a "
					+ "classic queue can be; remove queue.type " + queueType.argumentValue());
		}
		if (!StringUtils.hasText(settings.get("exchange"))) {
			throw settings.invalid("queue.broadcast", "a broadcast listener needs an exchange to bind its queue to");
		}
		String retry = "a broadcast listener has no retry or dead-letter queue: a failed message is logged and dropped";
		RETRY.forEach((path) -> settings.inapplicable(path, retry));
		RetrySettingsFactory.BACKOFF.forEach((path) -> settings.inapplicable(path, retry));
		if (Boolean.TRUE.equals(settings.get("queue.singleActiveConsumer"))) {
			settings.inapplicable("queue.singleActiveConsumer", "a broadcast queue has one instance's consumers only");
		}
	}

	private boolean idempotent(MergedListenerProperties settings, boolean unsupported) {
		if (!Boolean.TRUE.equals(settings.get("idempotent"))) {
			return false;
		}
		if (unsupported) {
			settings.inapplicable("idempotent", "the inbox guards a listener of single messages from a work queue, "
					+ "not a batch or broadcast listener");
			return false;
		}
		String missing = this.inboxMissing.get();
		if (missing != null) {
			throw settings.invalid("idempotent", "an idempotent listener records message ids in Hare's inbox, "
					+ "which is off: " + missing);
		}
		return true;
	}

	private static final Duration MIN_STORE_INTERVAL = Duration.ofSeconds(1);

	private static final List<String> STREAM_TRACKING = List.of("stream.consumerName", "stream.storeEvery",
			"stream.storeInterval");

	private void dropWhatAStreamCannotDo(MergedListenerProperties settings) {
		// A stream keeps every message for every consumer: it cannot retry one.
		String retry = "a stream cannot retry a message: a failed one is acked and reported (and copied to "
				+ "stream.dead-letter, if set); "
				+ "remove the setting or consume a classic or quorum queue";
		RETRY.forEach((path) -> settings.inapplicable(path, retry));
		RetrySettingsFactory.BACKOFF.forEach((path) -> settings.inapplicable(path, retry));
		settings.inapplicable("queue.messageTtl", "a stream has no x-message-ttl; it keeps messages by size or age "
				+ "(x-max-length-bytes, x-max-age)");
		if (Boolean.TRUE.equals(settings.get("idempotent"))) {
			settings.inapplicable("idempotent", "a stream acks every message and resumes after the last one "
					+ "handled, so it has no redeliveries to skip; deduplicate in the handler instead");
		}
		Integer concurrency = settings.get("concurrency");
		if (concurrency != null && concurrency > 1) {
			settings.inapplicable("concurrency", "every consumer of a stream reads every message, so " + concurrency
					+ " consumers would handle each message " + concurrency + " times; use 1");
		}
		if (Boolean.TRUE.equals(settings.get("queue.singleActiveConsumer"))) {
			settings.inapplicable("queue.singleActiveConsumer",
					"RabbitMQ offers single active consumer on streams from 3.11 on, and only through the stream "
							+ "protocol, which Hare does not use for it yet; run one instance, or share a consumer "
							+ "name to share the stored offset");
		}
		if (ConsumerSettingsFactory.autoScalingEnabled(settings)) {
			ConsumerSettingsFactory.AUTO_SCALING.forEach((path) -> settings.inapplicable(path,
					"every consumer of a stream reads every message, so a stream listener cannot scale"));
		}
	}

	private ListenerTopology topology(MergedListenerProperties settings, String queue, QueueType queueType,
			boolean broadcast, RetrySettingsFactory retry) {
		String exchangeType = settings.require("exchangeType", DEFAULT_EXCHANGE_TYPE);
		if (!EXCHANGE_TYPES.contains(exchangeType)) {
			throw settings.invalid("exchangeType", "must be direct, topic, fanout or headers");
		}
		String exchange = settings.get("exchange");
		Map<String, Object> bindingArguments = bindingArguments(settings, StringUtils.hasText(exchange),
				exchangeType);
		List<String> routingKeys = settings.require("routingKeys", List.of());
		boolean keyless = ExchangeTypes.FANOUT.equals(exchangeType) || ExchangeTypes.HEADERS.equals(exchangeType);
		if (!routingKeys.isEmpty() && keyless) {
			settings.inapplicable("routingKeys", "a " + exchangeType + " exchange routes without routing keys");
			routingKeys = List.of();
		}
		if (routingKeys.isEmpty() && !keyless && StringUtils.hasText(exchange) && !this.namePrefix.isEmpty()) {
			// Publishers keep routing by the queue's own name when a test prefixes it.
			routingKeys = List.of(queue);
		}
		Duration messageTtl = settings.ttl("queue.messageTtl");
		RetryBackoff backoff = settings.require("retry.backoff.type", RetryBackoff.FIXED);
		// An exponential backoff waits in Hare's shared delay levels: no delay queue of its own.
		List<Duration> delayQueues = (queueType == QueueType.STREAM || broadcast
				|| backoff == RetryBackoff.EXPONENTIAL) ? List.of() : retry.fixedDelays(settings);
		Map<String, Object> queueArguments = QueueArgumentSettings.arguments(settings, queueType);
		// A broadcast queue is this instance's own: its name is the listener's queue name and a
		// random part, new at each start.
		String name = broadcast ? new Base64UrlNamingStrategy(this.namePrefix + queue + ".").generateName()
				: this.namePrefix + queue;
		if (broadcast && routingKeys.isEmpty() && !keyless) {
			// Bound with the listener's queue name, as a work queue is, not its random one.
			routingKeys = List.of(queue);
		}
		return new ListenerTopology(name, StringUtils.hasText(exchange) ? prefixed(exchange) : null, exchangeType,
				routingKeys, bindingArguments, queueType, messageTtl, delayQueues, queueArguments, broadcast);
	}

	private Map<String, Object> bindingArguments(MergedListenerProperties settings, boolean hasExchange,
			String exchangeType) {
		Map<String, String> arguments = settings.get("bindingArguments");
		boolean headers = ExchangeTypes.HEADERS.equals(exchangeType);
		if (arguments != null && (!hasExchange || !headers)) {
			settings.inapplicable("bindingArguments", "binding arguments apply to a binding to a headers exchange");
			return Map.of();
		}
		if (!hasExchange || !headers) {
			return Map.of();
		}
		if (arguments == null || arguments.keySet().stream().allMatch((key) -> key.startsWith("x-"))) {
			throw settings.invalid("bindingArguments", "a binding to a headers exchange needs the header values "
					+ "to match, such as binding-arguments.type=invoice (and x-match=all or any)");
		}
		String match = arguments.get("x-match");
		if (match != null && !X_MATCH.contains(match)) {
			throw settings.invalid("bindingArguments", "x-match must be one of " + X_MATCH);
		}
		return new LinkedHashMap<>(arguments);
	}

	private String prefixed(String exchange) {
		// RabbitMQ's own exchanges cannot be declared under another name.
		return exchange.startsWith("amq.") ? exchange : this.namePrefix + exchange;
	}

	private StreamOffset streamOffset(MergedListenerProperties settings) {
		String offset = settings.get("stream.offset");
		if (offset == null || offset.isBlank()) {
			return StreamOffset.NEXT;
		}
		if (settings.require("queue.type", QueueType.CLASSIC) != QueueType.STREAM) {
			settings.inapplicable("stream.offset", "applies only to a listener whose queue.type is stream");
			return StreamOffset.NEXT;
		}
		try {
			return StreamOffset.parse(offset);
		}
		catch (IllegalArgumentException ex) {
			throw settings.invalid("stream.offset", String.valueOf(ex.getMessage()));
		}
	}

	private @Nullable String connection(MergedListenerProperties settings) {
		String connection = settings.get("connection");
		if (connection != null && !this.connections.contains(connection)) {
			throw settings.invalid("connection", "no connection has that name; known: " + this.connections);
		}
		return connection;
	}

}
