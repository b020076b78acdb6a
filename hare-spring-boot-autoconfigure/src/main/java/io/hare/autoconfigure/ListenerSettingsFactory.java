package io.hare.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.hare.delay.DelayTopology;
import io.hare.listener.ListenerSettings;
import io.hare.retry.ExponentialBackoff;
import io.hare.retry.ImmediateRetries;
import io.hare.retry.RetryBackoff;
import io.hare.retry.RetryPolicy;
import io.hare.scaling.AutoScalingPolicy;
import io.hare.support.TimeScale;
import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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

	static final int DEFAULT_RETRY_LIMIT = 15;

	static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(10);

	static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);

	static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

	static final Duration DEFAULT_BACKOFF_MAX = Duration.ofHours(1);

	static final int DEFAULT_MIN_CONSUMERS = 1;

	/**
	 * The largest delay a queue's {@code x-message-ttl} can hold.
	 */
	static final Duration MAX_TTL = Duration.ofMillis(Integer.MAX_VALUE);

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

	private static final Duration MAX_IMMEDIATE_DELAY = Duration.ofMinutes(1);

	private static final List<String> BACKOFF = List.of("retry.backoff.initial", "retry.backoff.multiplier",
			"retry.backoff.max", "retry.backoff.jitter");

	private static final List<String> AUTO_SCALING = List.of("autoScaling.enabled", "autoScaling.minConsumers",
			"autoScaling.maxConsumers", "autoScaling.messagesPerConsumer", "autoScaling.checkInterval",
			"autoScaling.scaleDownCooldown", "autoScaling.clusterAware");

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

	ListenerSettings create(MergedListenerProperties settings) {
		String queue = settings.get("queue.name");
		if (!StringUtils.hasText(queue)) {
			throw settings.invalid("queue.name", "a Hare listener needs a queue name");
		}
		QueueType queueType = settings.require("queue.type", QueueType.CLASSIC);
		boolean stream = queueType == QueueType.STREAM;
		if (stream) {
			dropWhatAStreamCannotDo(settings);
		}
		ListenerTopology topology = topology(settings, queue, queueType);
		Integer prefetch = atLeast(settings, "prefetch", 1);
		int concurrency = stream ? 1 : settings.require("concurrency", DEFAULT_CONCURRENCY);
		if (concurrency < 1) {
			throw settings.invalid("concurrency", "must be at least 1");
		}
		return new ListenerSettings(settings.id(), topology,
				(prefetch == null && stream) ? Integer.valueOf(DEFAULT_STREAM_PREFETCH) : prefetch, concurrency,
				connection(settings), stream ? null : retryPolicy(settings), autoScaling(settings),
				streamOffset(settings), stream ? ImmediateRetries.NONE : immediateRetries(settings),
				idempotent(settings));
	}

	private boolean idempotent(MergedListenerProperties settings) {
		if (!Boolean.TRUE.equals(settings.get("idempotent"))) {
			return false;
		}
		String missing = this.inboxMissing.get();
		if (missing != null) {
			throw settings.invalid("idempotent", "an idempotent listener records message ids in Hare's inbox, "
					+ "which is off: " + missing);
		}
		return true;
	}

	private void dropWhatAStreamCannotDo(MergedListenerProperties settings) {
		// A stream keeps every message for every consumer: it cannot retry or dead-letter one.
		String retry = "a stream cannot retry or dead-letter a message: a failed one is acked and reported; "
				+ "remove the setting or consume a classic or quorum queue";
		RETRY.forEach((path) -> settings.inapplicable(path, retry));
		BACKOFF.forEach((path) -> settings.inapplicable(path, retry));
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
					"RabbitMQ offers single active consumer on streams only through the stream protocol");
		}
		if (autoScalingEnabled(settings)) {
			AUTO_SCALING.forEach((path) -> settings.inapplicable(path,
					"every consumer of a stream reads every message, so a stream listener cannot scale"));
		}
	}

	private ListenerTopology topology(MergedListenerProperties settings, String queue, QueueType queueType) {
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
		Duration messageTtl = ttl(settings, "queue.messageTtl");
		RetryBackoff backoff = settings.require("retry.backoff.type", RetryBackoff.FIXED);
		// An exponential backoff waits in Hare's shared delay levels: no delay queue of its own.
		List<Duration> delayQueues = (queueType == QueueType.STREAM || backoff == RetryBackoff.EXPONENTIAL)
				? List.of() : fixedDelays(settings);
		Map<String, Object> queueArguments = QueueArgumentSettings.arguments(settings, queueType);
		return new ListenerTopology(this.namePrefix + queue, StringUtils.hasText(exchange) ? prefixed(exchange) : null,
				exchangeType, routingKeys, bindingArguments, queueType, messageTtl, delayQueues, queueArguments);
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

	private List<Duration> fixedDelays(MergedListenerProperties settings) {
		List<Duration> delays = settings.get("retry.delays");
		if (delays != null) {
			if (delays.isEmpty()) {
				throw settings.invalid("retry.delays", "give at least one delay");
			}
			delays.forEach((delay) -> checkTtl(settings, "retry.delays", delay));
			return delays.stream().map(this.timeScale::scale).toList();
		}
		return List.of(this.timeScale.scale(ttl(settings, "retry.delay", DEFAULT_RETRY_DELAY)));
	}

	private String prefixed(String exchange) {
		// RabbitMQ's own exchanges cannot be declared under another name.
		return exchange.startsWith("amq.") ? exchange : this.namePrefix + exchange;
	}

	private RetryPolicy retryPolicy(MergedListenerProperties settings) {
		Integer limit = atLeast(settings, "retry.limit", 0);
		int retries = (limit != null) ? limit : DEFAULT_RETRY_LIMIT;
		List<Class<? extends Throwable>> nonRetryable = settings.require("retry.nonRetryable", List.of());
		RetryBackoff backoff = settings.require("retry.backoff.type", RetryBackoff.FIXED);
		if (backoff != RetryBackoff.EXPONENTIAL) {
			BACKOFF.forEach((path) -> settings.inapplicable(path,
					"applies only with retry.backoff.type exponential, and the backoff is " + backoff,
					"retry.backoff.type"));
			return new RetryPolicy(retries, fixedDelays(settings), nonRetryable, null, retryable(settings));
		}
		String exponential = "an exponential backoff computes each delay; remove the setting or use a fixed backoff";
		settings.inapplicable("retry.delay", exponential, "retry.backoff.type");
		settings.inapplicable("retry.delays", exponential, "retry.backoff.type");
		if (!this.delayLevelsEnabled) {
			throw new InvalidConfigurationPropertyValueException("hare.delay.enabled", false,
					"Hare listener '" + settings.id() + "' retries with exponential backoff (set by "
							+ settings.source("retry.backoff.type").description()
							+ "), which waits in Hare's delay levels");
		}
		return RetryPolicy.exponential(retries, exponentialBackoff(settings), nonRetryable)
			.retryingOnly(retryable(settings));
	}

	private static ImmediateRetries immediateRetries(MergedListenerProperties settings) {
		Integer attempts = atLeast(settings, "retry.immediate", 0);
		Duration delay = settings.require("retry.immediateDelay", Duration.ZERO);
		if (delay.isNegative() || delay.compareTo(MAX_IMMEDIATE_DELAY) > 0) {
			throw settings.invalid("retry.immediateDelay", "must be between 0 and " + MAX_IMMEDIATE_DELAY
					+ ": the consumer holds the message meanwhile; a longer wait belongs to retry.delay");
		}
		return new ImmediateRetries((attempts != null) ? attempts : 0, delay);
	}

	private ExponentialBackoff exponentialBackoff(MergedListenerProperties settings) {
		Duration initial = settings.require("retry.backoff.initial", DEFAULT_BACKOFF_INITIAL);
		if (initial.isNegative() || initial.isZero() || initial.compareTo(DelayTopology.MAX_DELAY) > 0) {
			throw settings.invalid("retry.backoff.initial", "must be positive and at most " + DelayTopology.MAX_DELAY);
		}
		double multiplier = settings.require("retry.backoff.multiplier", DEFAULT_BACKOFF_MULTIPLIER);
		if (!(multiplier >= 1 && Double.isFinite(multiplier))) {
			throw settings.invalid("retry.backoff.multiplier", "must be at least 1");
		}
		Duration max = settings.get("retry.backoff.max");
		if (max == null) {
			max = (initial.compareTo(DEFAULT_BACKOFF_MAX) > 0) ? initial : DEFAULT_BACKOFF_MAX;
		}
		else if (max.compareTo(initial) < 0) {
			throw settings.invalid("retry.backoff.max", "must not be shorter than retry.backoff.initial, " + initial);
		}
		else if (max.compareTo(DelayTopology.MAX_DELAY) > 0) {
			throw settings.invalid("retry.backoff.max", "must not be longer than " + DelayTopology.MAX_DELAY);
		}
		double jitter = settings.require("retry.backoff.jitter", 0.0);
		if (!(jitter >= 0 && jitter <= 1)) {
			throw settings.invalid("retry.backoff.jitter", "must be between 0 and 1");
		}
		return new ExponentialBackoff(initial, multiplier, max, jitter);
	}

	private static List<Class<? extends Throwable>> retryable(MergedListenerProperties settings) {
		return settings.require("retry.retryable", List.of());
	}

	private @Nullable AutoScalingPolicy autoScaling(MergedListenerProperties settings) {
		if (!autoScalingEnabled(settings)) {
			return null;
		}
		if (Boolean.TRUE.equals(settings.get("queue.singleActiveConsumer"))) {
			String idle = "only one consumer of a single-active-consumer queue gets messages, so scaling adds idle ones";
			if (AUTO_SCALING.stream().anyMatch(settings::isOwn)) {
				throw settings.invalid(AUTO_SCALING.stream().filter(settings::isOwn).findFirst().orElseThrow(), idle);
			}
			return null;
		}
		Integer max = settings.get("autoScaling.maxConsumers");
		if (max == null) {
			throw settings.invalid("autoScaling.enabled", "auto-scaling is enabled, so it needs max-consumers");
		}
		int min = settings.require("autoScaling.minConsumers", DEFAULT_MIN_CONSUMERS);
		if (min < 1) {
			throw settings.invalid("autoScaling.minConsumers", "must be at least 1");
		}
		if (max < min) {
			throw settings.invalid("autoScaling.maxConsumers", "must be at least auto-scaling.min-consumers (" + min + ")");
		}
		Integer messagesPerConsumer = atLeast(settings, "autoScaling.messagesPerConsumer", 1);
		Duration interval = settings.require("autoScaling.checkInterval", AutoScalingPolicy.DEFAULT_CHECK_INTERVAL);
		if (interval.toMillis() <= 0) {
			throw settings.invalid("autoScaling.checkInterval", "must be positive");
		}
		Duration cooldown = settings.require("autoScaling.scaleDownCooldown",
				AutoScalingPolicy.defaultCooldown(interval));
		if (cooldown.isNegative()) {
			throw settings.invalid("autoScaling.scaleDownCooldown", "must not be negative");
		}
		return new AutoScalingPolicy(min, max,
				(messagesPerConsumer != null) ? messagesPerConsumer : AutoScalingPolicy.DEFAULT_MESSAGES_PER_CONSUMER,
				interval, cooldown, settings.require("autoScaling.clusterAware", false));
	}

	private static boolean autoScalingEnabled(MergedListenerProperties settings) {
		Boolean enabled = settings.get("autoScaling.enabled");
		return (enabled != null) ? enabled : settings.has("autoScaling.maxConsumers");
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

	private static @Nullable Integer atLeast(MergedListenerProperties settings, String path, int minimum) {
		Integer value = settings.get(path);
		if (value != null && value < minimum) {
			throw settings.invalid(path, (minimum == 0) ? "must be zero or more" : "must be at least " + minimum);
		}
		return value;
	}

	private static @Nullable Duration ttl(MergedListenerProperties settings, String path) {
		Duration value = settings.get(path);
		if (value != null) {
			checkTtl(settings, path, value);
		}
		return value;
	}

	private static Duration ttl(MergedListenerProperties settings, String path, Duration fallback) {
		Duration value = ttl(settings, path);
		return (value != null) ? value : fallback;
	}

	private static void checkTtl(MergedListenerProperties settings, String path, Duration value) {
		if (value.isNegative() || value.compareTo(MAX_TTL) > 0) {
			throw settings.invalid(path, "must be between 0 and " + MAX_TTL);
		}
	}

}
