package io.hare.sample.streams;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListener;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Closes the books: however many instances of the application run, the broker gives the
 * {@code nightly-close} queue to one consumer at a time and another takes over when it goes.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.streams.enabled", matchIfMissing = true)
public class NightlyClose {

	private static final Log logger = LogFactory.getLog(NightlyClose.class);

	private final AtomicLong closed = new AtomicLong();

	@HareListener(id = "nightly-close", queue = "${sample.prefix:sample}.nightly-close", singleActiveConsumer = true)
	void close(String day) {
		logger.info("Books closed for " + day);
		this.closed.incrementAndGet();
	}

	public long closed() {
		return this.closed.get();
	}

}
