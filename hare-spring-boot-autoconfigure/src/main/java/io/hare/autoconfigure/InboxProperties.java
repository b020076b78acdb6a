package io.hare.autoconfigure;

import java.time.Duration;

/**
 * Settings of the idempotent inbox, {@code hare.inbox.*}.
 */
public class InboxProperties {

	/**
	 * Whether to offer idempotent listeners, whose handler runs in a database transaction that
	 * records each message's id in the inbox table.
	 */
	private boolean enabled;

	/**
	 * Name of the inbox table, optionally with its schema.
	 */
	private String table = "hare_inbox";

	/**
	 * Whether to create the inbox table, unless it exists, when the application starts.
	 */
	private boolean initializeSchema;

	/**
	 * How long a message's id is kept, so that a redelivery within it is recognised; longer
	 * than a message can take to come again.
	 */
	private Duration retention = Duration.ofDays(7);

	/**
	 * How often the ids older than the retention are deleted.
	 */
	private Duration cleanupInterval = Duration.ofHours(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTable() {
		return this.table;
	}

	public void setTable(String table) {
		this.table = table;
	}

	public boolean isInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(boolean initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public Duration getCleanupInterval() {
		return this.cleanupInterval;
	}

	public void setCleanupInterval(Duration cleanupInterval) {
		this.cleanupInterval = cleanupInterval;
	}

}
