package io.hare.actuate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import org.jspecify.annotations.Nullable;

import io.hare.outbox.HareOutbox;
import io.hare.outbox.OutboxStatistics;

import org.springframework.dao.DataAccessException;
import org.springframework.util.Assert;

/**
 * Micrometer meters of the transactional outbox, tagged with its {@code table}: the messages
 * waiting ({@code hare.outbox.pending}), the age of the oldest ({@code hare.outbox.oldest.age}),
 * and what the relay sent, failed to send and dropped as duplicates. The backlog is read from
 * the table at most once per time-to-live, so that a scrape does not load the database.
 */
public class HareOutboxMetrics {

	private final HareOutbox outbox;

	private final Duration ttl;

	private @Nullable OutboxStatistics last;

	private long readAt;

	private boolean lastReadFailed = true;

	/**
	 * Register the meters of an outbox.
	 * @param registry the registry to register them with
	 * @param outbox the outbox
	 * @param ttl how long a read of the backlog is reused
	 */
	public HareOutboxMetrics(MeterRegistry registry, HareOutbox outbox, Duration ttl) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(outbox, "'outbox' must not be null");
		Assert.notNull(ttl, "'ttl' must not be null");
		this.outbox = outbox;
		this.ttl = ttl;
		bind(registry);
	}

	private void bind(MeterRegistry registry) {
		Tags tags = Tags.of("table", this.outbox.getTable());
		Gauge.builder("hare.outbox.pending", this, (metrics) -> metrics.backlog(true))
			.tags(tags)
			.description("Messages committed to the outbox and not yet confirmed by the broker")
			.register(registry);
		TimeGauge.builder("hare.outbox.oldest.age", this, TimeUnit.SECONDS, (metrics) -> metrics.backlog(false))
			.tags(tags)
			.description("How long the oldest message in the outbox has waited")
			.register(registry);
		FunctionCounter.builder("hare.outbox.sent", this, (metrics) -> metrics.count(OutboxStatistics::sent))
			.tags(tags)
			.description("Messages the relay sent and the broker confirmed")
			.register(registry);
		FunctionCounter.builder("hare.outbox.failed", this, (metrics) -> metrics.count(OutboxStatistics::failed))
			.tags(tags)
			.description("Sends of the relay that failed and wait for a retry")
			.register(registry);
		FunctionCounter
			.builder("hare.outbox.duplicates", this, (metrics) -> metrics.count(OutboxStatistics::duplicates))
			.tags(tags)
			.description("Messages the relay dropped as duplicates through their publisher's deduplication")
			.register(registry);
	}

	private double backlog(boolean pending) {
		OutboxStatistics statistics = statistics();
		if (statistics == null || this.lastReadFailed) {
			return Double.NaN;
		}
		return pending ? statistics.pending() : statistics.oldestAge().toNanos() / 1e9;
	}

	private double count(ToLongFunction<OutboxStatistics> count) {
		OutboxStatistics statistics = statistics();
		return (statistics != null) ? count.applyAsLong(statistics) : 0;
	}

	// A database that cannot be read shows as NaN backlog; the counts keep their last value.
	private synchronized @Nullable OutboxStatistics statistics() {
		long now = System.nanoTime();
		if (this.last == null || now - this.readAt >= this.ttl.toNanos()) {
			this.readAt = now;
			try {
				this.last = this.outbox.getStatistics();
				this.lastReadFailed = false;
			}
			catch (DataAccessException ex) {
				this.lastReadFailed = true;
			}
		}
		return this.last;
	}

}
