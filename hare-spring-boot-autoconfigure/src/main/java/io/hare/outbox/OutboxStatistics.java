package io.hare.outbox;

import java.time.Duration;

/**
 * The state of a transactional outbox: its backlog, read from the table, and what its relay did
 * since the application started.
 *
 * @param table the outbox table
 * @param pending the messages waiting to be sent, committed ones only
 * @param oldestAge how long the oldest waiting message has waited, zero when none waits
 * @param sent the messages the broker confirmed
 * @param failed the sends that failed and wait for a retry
 * @param duplicates the messages dropped as duplicates by their publisher's deduplication
 */
public record OutboxStatistics(String table, long pending, Duration oldestAge, long sent, long failed,
		long duplicates) {
}
