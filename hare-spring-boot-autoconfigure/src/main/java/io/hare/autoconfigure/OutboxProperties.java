package io.hare.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Settings of the transactional outbox, {@code hare.outbox.*}.
 */
public class OutboxProperties {

	/**
	 * Whether a publish inside a Spring transaction writes the message to the outbox table in
	 * that transaction, to be sent after the commit, instead of sending it at once.
	 */
	private boolean enabled;

	/**
	 * Name of the outbox table, optionally with its schema.
	 */
	private String table = "hare_outbox";

	/**
	 * Whether to create the outbox table, unless it exists, when the application starts.
	 */
	private boolean initializeSchema;

	/**
	 * Whether a publish outside a transaction fails instead of sending at once.
	 */
	private boolean requireTransaction;

	/**
	 * Most messages a relay claims and sends at once.
	 */
	private int batchSize = 100;

	/**
	 * How often the relay looks for messages when no commit or notification woke it.
	 */
	private Duration pollInterval = Duration.ofSeconds(5);

	/**
	 * How long a relay's claim on a batch lasts before another relay may send its messages;
	 * longer than the publishers' confirm timeout.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * How failed sends are tried again.
	 */
	private final Backoff backoff = new Backoff();

	/**
	 * Which messages are sent in the order they were stored.
	 */
	private final Ordering ordering = new Ordering();

	/**
	 * When the outbox's health contributor reports it down.
	 */
	private final Health health = new Health();

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

	public boolean isRequireTransaction() {
		return this.requireTransaction;
	}

	public void setRequireTransaction(boolean requireTransaction) {
		this.requireTransaction = requireTransaction;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Backoff getBackoff() {
		return this.backoff;
	}

	public Ordering getOrdering() {
		return this.ordering;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * When the outbox's health contributor reports it down.
	 */
	public static class Health {

		/**
		 * Age of the oldest waiting message above which the outbox's health is down.
		 */
		private Duration maxAge = Duration.ofMinutes(1);

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * How failed sends are tried again.
	 */
	public static class Backoff {

		/**
		 * Wait before a message whose send failed is tried again, doubled after each failure.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * Longest wait between two tries of a message.
		 */
		private Duration max = Duration.ofSeconds(30);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

	/**
	 * Which messages are sent in the order they were stored.
	 */
	public static class Ordering {

		/**
		 * Header whose value orders the messages that share it.
		 */
		private String header = "x-hare-ordering-key";

		/**
		 * Top-level field of a JSON body whose value orders the messages that share it, when
		 * the header is absent.
		 */
		private @Nullable String field;

		public String getHeader() {
			return this.header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

		public @Nullable String getField() {
			return this.field;
		}

		public void setField(@Nullable String field) {
			this.field = field;
		}

	}

}
