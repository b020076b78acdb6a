package io.hare.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.hare.delay.DelayTopology;
import io.hare.retry.ExponentialBackoff;
import io.hare.retry.ImmediateRetries;
import io.hare.retry.RetryBackoff;
import io.hare.retry.RetryPolicy;
import io.hare.support.TimeScale;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Validates a listener's {@code retry.*} settings and builds its retry policy and immediate
 * retries; part of {@link ListenerSettingsFactory}.
 */
final class RetrySettingsFactory {

	static final int DEFAULT_RETRY_LIMIT = 15;

	static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(10);

	static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);

	static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

	static final Duration DEFAULT_BACKOFF_MAX = Duration.ofHours(1);

	private static final Duration MAX_IMMEDIATE_DELAY = Duration.ofMinutes(1);

	static final List<String> BACKOFF = List.of("retry.backoff.initial", "retry.backoff.multiplier",
			"retry.backoff.max", "retry.backoff.jitter");


	private final TimeScale timeScale;

	private final boolean delayLevelsEnabled;

	RetrySettingsFactory(TimeScale timeScale, boolean delayLevelsEnabled) {
		this.timeScale = timeScale;
		this.delayLevelsEnabled = delayLevelsEnabled;
	}

	List<Duration> fixedDelays(MergedListenerProperties settings) {
		List<Duration> delays = settings.get("retry.delays");
		if (delays != null) {
			if (delays.isEmpty()) {
				throw settings.invalid("retry.delays", "give at least one delay");
			}
			delays.forEach((delay) -> settings.checkTtl("retry.delays", delay));
			return delays.stream().map(this.timeScale::scale).toList();
		}
		return List.of(this.timeScale.scale(settings.ttl("retry.delay", DEFAULT_RETRY_DELAY)));
	}

	RetryPolicy retryPolicy(MergedListenerProperties settings) {
		Integer limit = settings.atLeast("retry.limit", 0);
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

	static ImmediateRetries immediateRetries(MergedListenerProperties settings) {
		Integer attempts = settings.atLeast("retry.immediate", 0);
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

}
