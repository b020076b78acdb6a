package io.hare.actuate;

import io.hare.actuate.HareEndpoint.OutboxDescriptor;
import io.hare.outbox.HareOutbox;
import io.hare.outbox.OutboxStatistics;

import org.springframework.dao.DataAccessException;

/**
 * Describes the transactional outbox for {@link HareEndpoint}: its backlog, read afresh, and
 * what its relay did.
 */
final class OutboxDescriber {

	private final HareOutbox outbox;

	OutboxDescriber(HareOutbox outbox) {
		this.outbox = outbox;
	}

	OutboxDescriptor describe() {
		try {
			OutboxStatistics statistics = this.outbox.getStatistics();
			return new OutboxDescriptor(statistics.table(), this.outbox.isListening(), statistics.pending(),
					statistics.oldestAge().toString(), statistics.sent(), statistics.failed(), statistics.duplicates(), null);
		}
		catch (DataAccessException ex) {
			return new OutboxDescriptor(this.outbox.getTable(), this.outbox.isListening(), null, null, null, null, null,
					"could not read the outbox table: " + ex.getMostSpecificCause().getMessage());
		}
	}

}
