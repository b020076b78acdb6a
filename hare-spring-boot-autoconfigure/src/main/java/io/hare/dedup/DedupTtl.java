package io.hare.dedup;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.Assert;

/**
 * How long a deduplication claim lasts: a positive duration, or {@link #INFINITE forever}.
 */
public final class DedupTtl {

	/**
	 * A claim that never expires (in the in-memory store, it may still be evicted when the store
	 * is full).
	 */
	public static final DedupTtl INFINITE = new DedupTtl(null);

	private static final String INFINITE_TEXT = "infinite";

	private final @Nullable Duration duration;

	private DedupTtl(@Nullable Duration duration) {
		this.duration = duration;
	}

	/**
	 * Return a time-to-live of the given duration.
	 * @param duration a positive duration
	 * @return the time-to-live
	 */
	public static DedupTtl of(Duration duration) {
		Assert.notNull(duration, "'duration' must not be null");
		Assert.isTrue(!duration.isNegative() && !duration.isZero(), "'duration' must be positive");
		return new DedupTtl(duration);
	}

	/**
	 * Parse {@code infinite} or a duration such as {@code 10m} or {@code PT10M}; Spring's
	 * conversion service finds this method, so the type binds from properties.
	 * @param text the text
	 * @return the time-to-live
	 * @throws IllegalArgumentException if the text is neither
	 */
	public static DedupTtl valueOf(String text) {
		String trimmed = text.trim();
		if (INFINITE_TEXT.equalsIgnoreCase(trimmed)) {
			return INFINITE;
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + text + "' is neither 'infinite' nor a duration such as 10m", ex);
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("'" + text + "' is not a positive duration");
		}
		return new DedupTtl(duration);
	}

	public boolean isInfinite() {
		return this.duration == null;
	}

	/**
	 * Return the duration of a finite time-to-live.
	 * @return the duration
	 * @throws IllegalStateException if the time-to-live is infinite
	 */
	public Duration toDuration() {
		Assert.state(this.duration != null, "An infinite time-to-live has no duration");
		return this.duration;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof DedupTtl ttl) && Objects.equals(this.duration, ttl.duration);
	}

	@Override
	public int hashCode() {
		return Objects.hashCode(this.duration);
	}

	@Override
	public String toString() {
		return (this.duration != null) ? this.duration.toString() : INFINITE_TEXT;
	}

}
