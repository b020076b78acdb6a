package io.hare.inbox;

import java.time.Duration;

import javax.sql.DataSource;

import io.hare.support.SqlTables;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the inbox table: recording a message id in the caller's transaction unless it is
 * there, and deleting old ids. Ages use the database's clock.
 */
final class InboxTable {

	static final String SCHEMA = "META-INF/hare/inbox-postgresql.sql";

	private static final String DEFAULT_NAME = "hare_inbox";

	private final String name;

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final String insert;

	InboxTable(DataSource dataSource, String name) {
		this.name = SqlTables.checkName(name, "inbox");
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.insert = "INSERT INTO " + name + " (listener, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
	}

	String name() {
		return this.name;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	void createSchema() {
		SqlTables.createSchema(this.dataSource, SCHEMA, DEFAULT_NAME, this.name);
	}

	/**
	 * Record that a listener handles a message, in the caller's transaction. A concurrent
	 * transaction that recorded the same id first makes this wait for its outcome.
	 * @return whether the id was new; {@code false} if it was recorded before
	 */
	boolean record(String listener, String messageId) {
		return this.jdbc.update(this.insert, listener, messageId) == 1;
	}

	/**
	 * Delete the ids recorded longer ago than the retention.
	 * @return how many were deleted
	 */
	int deleteOlderThan(Duration retention) {
		return this.jdbc.update("DELETE FROM " + this.name + " WHERE received_at < CURRENT_TIMESTAMP - ? * INTERVAL "
				+ "'1' SECOND", retention.toNanos() / 1e9);
	}

}
