package io.hare.listener;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The offset of the last message a stream listener finished with, so that a consumer that
 * starts again (after a lost connection, or a pause) resumes after it instead of reading
 * from the configured offset again.
 */
final class StreamPosition {

	private static final long NONE = -1;

	private final AtomicLong lastOffset = new AtomicLong(NONE);

	void finished(long offset) {
		this.lastOffset.accumulateAndGet(offset, Math::max);
	}

	/**
	 * Return the offset to resume at.
	 * @return the offset after the last finished message, or {@code null} before the first
	 */
	@Nullable Long next() {
		long last = this.lastOffset.get();
		return (last != NONE) ? last + 1 : null;
	}

}
