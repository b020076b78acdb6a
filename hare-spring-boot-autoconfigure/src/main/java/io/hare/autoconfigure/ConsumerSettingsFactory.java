package io.hare.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hare.listener.AckSettings;
import io.hare.listener.BatchSettings;
import io.hare.listener.CircuitBreakerSettings;
import io.hare.scaling.AutoScalingPolicy;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Validates how a listener consumes: {@code batch.*}, {@code ack.*}, {@code circuit-breaker.*}
 * and {@code auto-scaling.*}; part of {@link ListenerSettingsFactory}.
 */
final class ConsumerSettingsFactory {

	static final int DEFAULT_MIN_CONSUMERS = 1;

	static final int DEFAULT_BATCH_SIZE = 100;

	static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50;

	static final int DEFAULT_SLIDING_WINDOW_SIZE = 100;

	static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 20;

	static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);

	static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 5;

	static final Duration DEFAULT_BATCH_RECEIVE_TIMEOUT = Duration.ofSeconds(1);

	static final int DEFAULT_ACK_BATCH_SIZE = 50;

	static final Duration DEFAULT_ACK_BATCH_TIMEOUT = Duration.ofMillis(100);

	static final List<String> AUTO_SCALING = List.of("autoScaling.enabled", "autoScaling.minConsumers",
			"autoScaling.maxConsumers", "autoScaling.messagesPerConsumer", "autoScaling.checkInterval",
			"autoScaling.scaleDownCooldown", "autoScaling.clusterAware");

	private static final List<String> CIRCUIT_BREAKER = List.of("circuitBreaker.enabled",
			"circuitBreaker.failureRateThreshold", "circuitBreaker.slidingWindowSize",
			"circuitBreaker.minimumNumberOfCalls", "circuitBreaker.waitInOpenState",
			"circuitBreaker.permittedCallsInHalfOpenState");


	private ConsumerSettingsFactory() {
	}

	static @Nullable BatchSettings batch(MergedListenerProperties settings, boolean batch, boolean stream) {
		if (!batch) {
			String single = "applies only to a batch listener, whose method takes a List";
			settings.inapplicable("batch.size", single);
			settings.inapplicable("batch.receiveTimeout", single);
			return null;
		}
		if (stream) {
			throw settings.invalid("queue.type", "a batch listener reads a queue, not a stream");
		}
		String immediate = "a batch listener's second try is running each element alone";
		settings.inapplicable("retry.immediate", immediate);
		settings.inapplicable("retry.immediateDelay", immediate);
		Integer size = settings.atLeast("batch.size", 1);
		Duration timeout = settings.require("batch.receiveTimeout", DEFAULT_BATCH_RECEIVE_TIMEOUT);
		if (timeout.toMillis() <= 0) {
			throw settings.invalid("batch.receiveTimeout", "must be positive");
		}
		return new BatchSettings((size != null) ? size : DEFAULT_BATCH_SIZE, timeout);
	}

	static AckSettings ack(MergedListenerProperties settings, @Nullable Integer prefetch, @Nullable BatchSettings batch,
			boolean stream) {
		if (stream) {
			String each = "a stream listener acks each message on its own, which only gives its consumer credit";
			settings.inapplicable("ack.batchSize", each);
			settings.inapplicable("ack.batchTimeout", each);
			return AckSettings.EACH;
		}
		int held = (prefetch != null) ? prefetch : AbstractMessageListenerContainer.DEFAULT_PREFETCH_COUNT;
		if (batch != null) {
			// The container raises a batch listener's prefetch to its batch size.
			held = Math.max(held, batch.size());
		}
		Integer size = settings.atLeast("ack.batchSize", 1);
		if (size != null && size > held) {
			// A consumer holding more unacked messages than its prefetch would get none until the timeout.
			if (settings.isOwn("ack.batchSize")) {
				throw settings.invalid("ack.batchSize", "must be at most the prefetch (" + held
						+ "): the broker sends a consumer no more than that many unacknowledged messages");
			}
			size = held;
		}
		Duration timeout = settings.require("ack.batchTimeout", DEFAULT_ACK_BATCH_TIMEOUT);
		if (timeout.toMillis() <= 0) {
			throw settings.invalid("ack.batchTimeout", "must be positive");
		}
		return new AckSettings((size != null) ? size : Math.min(DEFAULT_ACK_BATCH_SIZE, Math.max(1, held / 2)),
				timeout);
	}

	static @Nullable CircuitBreakerSettings circuitBreaker(MergedListenerProperties settings,
			boolean unsupported) {
		Boolean enabled = settings.get("circuitBreaker.enabled");
		// Like auto-scaling, setting any of its keys turns the breaker on.
		if (Boolean.FALSE.equals(enabled) || (enabled == null && CIRCUIT_BREAKER.stream().noneMatch(settings::has))) {
			return null;
		}
		if (unsupported) {
			CIRCUIT_BREAKER.forEach((path) -> settings.inapplicable(path,
					"a circuit breaker guards a listener of single messages from a queue, not a batch or stream listener"));
			return null;
		}
		float threshold = settings.require("circuitBreaker.failureRateThreshold", DEFAULT_FAILURE_RATE_THRESHOLD);
		if (!(threshold > 0 && threshold <= 100)) {
			throw settings.invalid("circuitBreaker.failureRateThreshold", "must be above 0 and at most 100");
		}
		Integer window = settings.atLeast("circuitBreaker.slidingWindowSize", 1);
		Integer minimum = settings.atLeast("circuitBreaker.minimumNumberOfCalls", 1);
		Integer trial = settings.atLeast("circuitBreaker.permittedCallsInHalfOpenState", 1);
		Duration wait = settings.require("circuitBreaker.waitInOpenState", DEFAULT_WAIT_IN_OPEN_STATE);
		if (wait.toMillis() <= 0) {
			throw settings.invalid("circuitBreaker.waitInOpenState", "must be positive");
		}
		return new CircuitBreakerSettings(threshold, (window != null) ? window : DEFAULT_SLIDING_WINDOW_SIZE,
				(minimum != null) ? minimum : DEFAULT_MINIMUM_NUMBER_OF_CALLS, wait,
				(trial != null) ? trial : DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE);
	}

	static @Nullable AutoScalingPolicy autoScaling(MergedListenerProperties settings) {
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
		Integer messagesPerConsumer = settings.atLeast("autoScaling.messagesPerConsumer", 1);
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

	static boolean autoScalingEnabled(MergedListenerProperties settings) {
		Boolean enabled = settings.get("autoScaling.enabled");
		return (enabled != null) ? enabled : settings.has("autoScaling.maxConsumers");
	}

}
