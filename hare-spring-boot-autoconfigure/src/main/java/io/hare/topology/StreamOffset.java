package io.hare.topology;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.Assert;

/**
 * Where a consumer starts reading a stream, sent as the {@code x-stream-offset} consumer
 * argument: {@code next}, {@code first}, {@code last}, an offset, a point in time, or a
 * duration meaning "that long ago".
 */
public final class StreamOffset {

	/**
	 * The consumer argument that carries the offset, and the header that carries each
	 * delivered message's offset.
	 */
	public static final String ARGUMENT = "x-stream-offset";

	/**
	 * Only messages published after the consumer attached; the broker's default.
	 */
	public static final StreamOffset NEXT = new StreamOffset(Kind.NEXT, "next");

	/**
	 * Every message the stream still holds.
	 */
	public static final StreamOffset FIRST = new StreamOffset(Kind.FIRST, "first");

	/**
	 * The newest chunk of messages (one message or a few published together), then what follows.
	 */
	public static final StreamOffset LAST = new StreamOffset(Kind.LAST, "last");

	private final Kind kind;

	private final Object value;

	private StreamOffset(Kind kind, Object value) {
		this.kind = kind;
		this.value = value;
	}

	/**
	 * Start at the message with the given offset; offsets count from 0.
	 * @param offset the offset
	 * @return the stream offset
	 */
	public static StreamOffset offset(long offset) {
		Assert.isTrue(offset >= 0, "'offset' must not be negative");
		return new StreamOffset(Kind.OFFSET, offset);
	}

	/**
	 * Start at the messages published at the given time or later, to the second.
	 * @param timestamp the time
	 * @return the stream offset
	 */
	public static StreamOffset timestamp(Instant timestamp) {
		Assert.notNull(timestamp, "'timestamp' must not be null");
		return new StreamOffset(Kind.TIMESTAMP, timestamp);
	}

	/**
	 * Start at the messages published at most the given duration before the consumer
	 * attaches, to the second; the broker measures it on its own clock.
	 * @param duration how long ago, at least one second
	 * @return the stream offset
	 */
	public static StreamOffset ago(Duration duration) {
		Assert.notNull(duration, "'duration' must not be null");
		Assert.isTrue(duration.getSeconds() >= 1, "'duration' must be at least one second");
		return new StreamOffset(Kind.AGO, duration);
	}

	/**
	 * Parse an offset: {@code next}, {@code first}, {@code last}, a whole number, an
	 * ISO-8601 timestamp such as {@code 2024-05-01T08:00:00Z}, or a duration such as
	 * {@code PT1H} or {@code 1h}.
	 * @param text the text
	 * @return the stream offset
	 * @throws IllegalArgumentException if the text is none of these
	 */
	public static StreamOffset parse(String text) {
		Assert.hasText(text, "'text' must not be empty");
		String trimmed = text.trim();
		switch (trimmed.toLowerCase(Locale.ROOT)) {
			case "next":
				return NEXT;
			case "first":
				return FIRST;
			case "last":
				return LAST;
			default:
				break;
		}
		if (trimmed.chars().allMatch(Character::isDigit)) {
			try {
				return offset(Long.parseLong(trimmed));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("offset '" + trimmed + "' is too large", ex);
			}
		}
		if (trimmed.length() > 10 && Character.isDigit(trimmed.charAt(0)) && trimmed.charAt(4) == '-') {
			try {
				return timestamp(OffsetDateTime.parse(trimmed).toInstant());
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException(
						"'" + trimmed + "' is not an ISO-8601 timestamp with a zone, such as 2024-05-01T08:00:00Z", ex);
			}
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + trimmed + "' is none of next, first, last, an offset such as 42, "
					+ "a timestamp such as 2024-05-01T08:00:00Z or a duration such as PT1H or 1h", ex);
		}
		if (duration.getSeconds() < 1) {
			throw new IllegalArgumentException("a duration must be at least one second, not '" + trimmed + "'");
		}
		return ago(duration);
	}

	/**
	 * Return the kind of this offset.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * Return the value of the {@code x-stream-offset} consumer argument. RabbitMQ reads a
	 * string as a name or an interval such as {@code 3600s}, a number as an offset and an
	 * AMQP timestamp (a {@link Date} for the Java client) as a point in time. A value it
	 * cannot read closes the whole connection, hence the checks when parsing.
	 * @return the argument value
	 */
	public Object argument() {
		return switch (this.kind) {
			case NEXT, FIRST, LAST -> this.value;
			case OFFSET -> this.value;
			case TIMESTAMP -> Date.from((Instant) this.value);
			case AGO -> ((Duration) this.value).getSeconds() + "s";
		};
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof StreamOffset that) && this.kind == that.kind && this.value.equals(that.value);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, this.value);
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case AGO -> this.value + " ago";
			default -> this.value.toString();
		};
	}

	/**
	 * The kinds of stream offset.
	 */
	public enum Kind {

		/**
		 * Messages published after the consumer attached.
		 */
		NEXT,

		/**
		 * Every message the stream holds.
		 */
		FIRST,

		/**
		 * The newest chunk, then what follows.
		 */
		LAST,

		/**
		 * From a numeric offset.
		 */
		OFFSET,

		/**
		 * From a point in time.
		 */
		TIMESTAMP,

		/**
		 * From a duration before the consumer attached.
		 */
		AGO

	}

}
