package io.hare.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import io.hare.support.SqlTables;

import org.springframework.amqp.core.Message;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the outbox table: writing a message in the caller's transaction, claiming a batch
 * with {@code FOR UPDATE SKIP LOCKED} and a lease, deleting what was confirmed and putting back
 * what failed. Leases and ages use the database's clock, so that instances need not agree on
 * the time.
 */
final class OutboxTable {

	static final String SCHEMA = "META-INF/hare/outbox-postgresql.sql";

	private static final String DEFAULT_NAME = "hare_outbox";

	private static final String COLUMNS = "id, publisher, exchange, routing_key, properties, body, deliver_at, "
			+ "created_at, attempts";

	private final String name;

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final String insert;

	private final String claim;

	OutboxTable(DataSource dataSource, String name) {
		this.name = SqlTables.checkName(name, "outbox");
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.insert = "INSERT INTO " + name + " (publisher, exchange, routing_key, ordering_key, message_id, "
				+ "properties, body, deliver_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
		// A keyed row is claimed only when every earlier row of its key is in the same batch:
		// one held, leased or waiting to be retried elsewhere keeps the later ones back.
		this.claim = "WITH candidates AS (SELECT id FROM " + name + " WHERE available_at <= CURRENT_TIMESTAMP "
				+ "AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP) ORDER BY id LIMIT ? "
				+ "FOR UPDATE SKIP LOCKED) UPDATE " + name + " o SET lease_owner = ?, "
				+ "lease_until = CURRENT_TIMESTAMP + ? * INTERVAL '1' SECOND, attempts = o.attempts + 1 "
				+ "FROM candidates c WHERE o.id = c.id AND (o.ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM "
				+ name + " e WHERE e.ordering_key = o.ordering_key AND e.id < o.id "
				+ "AND e.id NOT IN (SELECT id FROM candidates))) RETURNING o.id, o.publisher, o.exchange, "
				+ "o.routing_key, o.properties, o.body, o.deliver_at, o.created_at, o.attempts";
	}

	String name() {
		return this.name;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * Create the table and its indexes unless they exist.
	 */
	void createSchema() {
		SqlTables.createSchema(this.dataSource, SCHEMA, DEFAULT_NAME, this.name);
	}

	/**
	 * Write a message, in the caller's transaction if it has one on this data source.
	 */
	void insert(String publisher, String exchange, String routingKey, @Nullable String orderingKey, Message message,
			@Nullable Instant deliverAt) {
		this.jdbc.update(this.insert, publisher, exchange, routingKey, orderingKey,
				message.getMessageProperties().getMessageId(), OutboxCodec.encode(message.getMessageProperties()),
				message.getBody(), (deliverAt != null) ? Timestamp.from(deliverAt) : null);
	}

	/**
	 * Lease up to {@code limit} due rows to a relay, in id order.
	 */
	List<OutboxRow> claim(String owner, int limit, Duration lease) {
		List<OutboxRow> rows = this.jdbc.query(this.claim, OutboxTable::row, limit, owner, seconds(lease));
		rows.sort(Comparator.comparingLong(OutboxRow::id));
		return rows;
	}

	private static OutboxRow row(ResultSet rs, int rowNum) throws SQLException {
		Timestamp deliverAt = rs.getTimestamp("deliver_at");
		Message message = new Message(rs.getBytes("body"), OutboxCodec.decode(rs.getBytes("properties")));
		return new OutboxRow(rs.getLong("id"), rs.getString("publisher"), rs.getString("exchange"),
				rs.getString("routing_key"), message, (deliverAt != null) ? deliverAt.toInstant() : null,
				rs.getTimestamp("created_at").toInstant(), rs.getInt("attempts"));
	}

	/**
	 * Delete sent rows, whoever holds their lease now.
	 */
	void delete(Collection<Long> ids) {
		if (!ids.isEmpty()) {
			this.jdbc.update("DELETE FROM " + this.name + " WHERE id IN (" + placeholders(ids.size()) + ")",
					ids.toArray());
		}
	}

	/**
	 * Give a failed row back, due again after its backoff, with the reason.
	 */
	void retryLater(List<Failure> failures) {
		if (failures.isEmpty()) {
			return;
		}
		this.jdbc.batchUpdate("UPDATE " + this.name + " SET lease_owner = NULL, lease_until = NULL, "
				+ "available_at = CURRENT_TIMESTAMP + ? * INTERVAL '1' SECOND, last_error = ? WHERE id = ?",
				failures.stream()
					.map((failure) -> new Object[] { seconds(failure.backoff()), truncate(failure.error()), failure.id() })
					.toList());
	}

	/**
	 * Count the rows waiting and the age of the oldest, by the database's clock.
	 */
	Backlog backlog() {
		return this.jdbc.queryForObject("SELECT COUNT(*), MIN(created_at), CURRENT_TIMESTAMP FROM " + this.name,
				(rs, rowNum) -> {
					long pending = rs.getLong(1);
					Timestamp oldest = rs.getTimestamp(2);
					Duration age = (oldest != null)
							? Duration.between(oldest.toInstant(), rs.getTimestamp(3).toInstant()) : Duration.ZERO;
					return new Backlog(pending, age.isNegative() ? Duration.ZERO : age);
				});
	}

	/**
	 * Ask PostgreSQL to wake the relays that listen, when this transaction commits.
	 */
	void notifyRelays(String channel) {
		this.jdbc.query("SELECT pg_notify(?, '')", (rs) -> null, channel);
	}

	private static String placeholders(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	private static String truncate(String error) {
		return (error.length() <= 1000) ? error : error.substring(0, 1000);
	}

	/**
	 * A row whose send failed.
	 *
	 * @param id the row's id
	 * @param error why
	 * @param backoff how long until it is due again
	 */
	record Failure(long id, String error, Duration backoff) {
	}

	/**
	 * The rows waiting in the outbox.
	 *
	 * @param pending how many
	 * @param oldestAge how long the oldest has waited
	 */
	record Backlog(long pending, Duration oldestAge) {
	}

}
