package io.hare.sample.streams;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListener;
import io.hare.topology.QueueType;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Reads the whole {@code domain-events} stream from its first message, next to the projection
 * that reads only new ones: every stream listener gets every message. Both read over the
 * stream protocol, the broker storing their offsets, so a restart resumes after the last
 * stored one ({@code first} applies only the very first time). A garbled event is copied to
 * {@code domain-events.failed} with the reason ({@code hare.listeners.audit.stream.dead-letter}
 * in {@code application.yml}), then skipped, logged with its offset and published as an event.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.streams.enabled", matchIfMissing = true)
public class AuditTrail {

	private static final Log logger = LogFactory.getLog(AuditTrail.class);

	private final AtomicLong recorded = new AtomicLong();

	private final AtomicLong projected = new AtomicLong();

	@HareListener(id = "audit", queue = "${sample.prefix:sample}.domain-events", queueType = QueueType.STREAM,
			streamOffset = "first")
	void record(DomainEvent event, @Header("x-stream-offset") long offset) {
		if (event.type().equals("garbled")) {
			throw new IllegalArgumentException("Cannot audit a garbled event of order " + event.orderId());
		}
		logger.debug("Audit #" + offset + ": order " + event.orderId() + " " + event.type());
		this.recorded.incrementAndGet();
	}

	@HareListener(id = "projection", queue = "${sample.prefix:sample}.domain-events", queueType = QueueType.STREAM)
	void project(DomainEvent event) {
		this.projected.incrementAndGet();
	}

	public long recorded() {
		return this.recorded.get();
	}

	public long projected() {
		return this.projected.get();
	}

}
