package io.hare.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How a stream listener that reads over the stream protocol stores its offset on the broker,
 * so that a restarted application resumes after the last stored message.
 *
 * @param consumerName the name the broker stores the offset under, or {@code null} for the
 * application name and listener id
 * @param storeEvery store after this many handled messages, at least 1
 * @param storeInterval store at least this often while messages are handled
 */
public record StreamTracking(@Nullable String consumerName, int storeEvery, Duration storeInterval) {

	/**
	 * Store after every message: a crash replays nothing already handled.
	 */
	public static final int DEFAULT_STORE_EVERY = 1;

	/**
	 * The longest time between two stores while messages are handled.
	 */
	public static final Duration DEFAULT_STORE_INTERVAL = Duration.ofSeconds(5);

	public StreamTracking {
		Assert.isTrue(storeEvery >= 1, "'storeEvery' must be at least 1");
		Assert.notNull(storeInterval, "'storeInterval' must not be null");
		Assert.isTrue(!storeInterval.isNegative() && !storeInterval.isZero(), "'storeInterval' must be positive");
	}

}
