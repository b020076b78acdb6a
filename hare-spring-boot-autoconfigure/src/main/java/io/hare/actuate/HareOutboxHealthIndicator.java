package io.hare.actuate;

import java.time.Duration;

import io.hare.outbox.HareOutbox;
import io.hare.outbox.OutboxStatistics;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

/**
 * Health of the transactional outbox: down when its oldest message has waited longer than the
 * maximum age, as when the broker has been unreachable for a while or the relay is stuck, or
 * when the table cannot be read. The details give the backlog and what the relay did.
 */
public class HareOutboxHealthIndicator extends AbstractHealthIndicator {

	private final HareOutbox outbox;

	private final Duration maxAge;

	/**
	 * Create the indicator of an outbox.
	 * @param outbox the outbox
	 * @param maxAge the age of the oldest waiting message above which the outbox is down
	 */
	public HareOutboxHealthIndicator(HareOutbox outbox, Duration maxAge) {
		super("Hare outbox health check failed");
		Assert.notNull(outbox, "'outbox' must not be null");
		Assert.notNull(maxAge, "'maxAge' must not be null");
		this.outbox = outbox;
		this.maxAge = maxAge;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		OutboxStatistics statistics = this.outbox.getStatistics();
		builder.status((statistics.oldestAge().compareTo(this.maxAge) > 0) ? Status.DOWN : Status.UP)
			.withDetail("table", statistics.table())
			.withDetail("pending", statistics.pending())
			.withDetail("oldestAge", statistics.oldestAge().toString())
			.withDetail("maxAge", this.maxAge.toString())
			.withDetail("sent", statistics.sent())
			.withDetail("failed", statistics.failed());
	}

}
