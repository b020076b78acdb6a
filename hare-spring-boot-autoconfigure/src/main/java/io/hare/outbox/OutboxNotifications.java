package io.hare.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes the relay when another instance commits outbox rows: holds one connection of the data
 * source that {@code LISTEN}s on the outbox's channel, which the storing transaction notifies
 * when it commits. PostgreSQL only; elsewhere the relay polls.
 */
final class OutboxNotifications implements Runnable {

	private static final Log logger = LogFactory.getLog(OutboxNotifications.class);

	private final DataSource dataSource;

	private final String channel;

	private final OutboxRelay relay;

	private final Duration reconnectDelay;

	private volatile boolean running;

	private volatile @Nullable Connection connection;

	OutboxNotifications(DataSource dataSource, String channel, OutboxRelay relay, Duration reconnectDelay) {
		this.dataSource = dataSource;
		this.channel = channel;
		this.relay = relay;
		this.reconnectDelay = reconnectDelay;
	}

	/**
	 * Whether the data source is PostgreSQL with its driver, so that it can listen.
	 */
	static boolean supported(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.isWrapperFor(PGConnection.class);
		}
		catch (SQLException | LinkageError ex) {
			return false;
		}
	}

	void start() {
		this.running = true;
	}

	void stop() {
		this.running = false;
		Connection listening = this.connection;
		if (listening != null) {
			try {
				listening.close();
			}
			catch (SQLException ex) {
				// Closing anyway.
			}
		}
	}

	@Override
	public void run() {
		boolean lost = false;
		while (this.running) {
			try (Connection listening = this.dataSource.getConnection()) {
				this.connection = listening;
				try (Statement statement = listening.createStatement()) {
					statement.execute("LISTEN \"" + this.channel + "\"");
				}
				if (lost) {
					logger.info("Hare outbox listens for commits on channel '" + this.channel + "' again");
					lost = false;
				}
				// Rows committed while nobody listened.
				this.relay.wake();
				PGConnection pg = listening.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] notifications = pg.getNotifications(500);
					if (notifications != null && notifications.length > 0) {
						this.relay.wake();
					}
				}
			}
			catch (SQLException ex) {
				if (this.running && !lost) {
					lost = true;
					logger.warn("Hare outbox stopped listening on channel '" + this.channel
							+ "' and polls until it listens again: " + ex.getMessage());
				}
				pause();
			}
			finally {
				this.connection = null;
			}
		}
	}

	private void pause() {
		try {
			Thread.sleep(this.reconnectDelay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

}
