package io.hare.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hare.publish.HarePublisher;
import io.hare.publish.PublishOutbox;
import io.hare.support.Durations;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * Hare's transactional outbox: a message published inside a Spring transaction is written to
 * the outbox table in that transaction and sent after the commit, by a relay woken at once on
 * this instance and through PostgreSQL's {@code LISTEN/NOTIFY} on the others, with a slow poll
 * as a safety net. A rolled-back transaction sends nothing; a committed one is sent at least
 * once, even across broker outages and relays that die mid-batch. Longer than most classes for
 * its documented settings and lifecycle; the SQL, relay, notifications and codec live in their
 * own classes.
 */
public class HareOutbox implements PublishOutbox, SmartLifecycle {

	/**
	 * The header whose value orders the messages that share it, unless set otherwise.
	 */
	public static final String DEFAULT_ORDERING_HEADER = "x-hare-ordering-key";

	private final OutboxTable table;

	private final Function<String, @Nullable HarePublisher> publishers;

	private final OutboxCounters counters = new OutboxCounters();

	private final String owner = UUID.randomUUID().toString();

	private boolean requireTransaction;

	private boolean initializeSchema;

	private int batchSize = 100;

	private Duration pollInterval = Duration.ofSeconds(5);

	private Duration lease = Duration.ofSeconds(30);

	private Duration initialBackoff = Duration.ofSeconds(1);

	private Duration maxBackoff = Duration.ofSeconds(30);

	private String orderingHeader = DEFAULT_ORDERING_HEADER;

	private @Nullable String orderingField;

	private @Nullable JsonMapper jsonMapper;

	private volatile @Nullable OutboxRelay relay;

	private @Nullable OutboxNotifications notifications;

	private volatile boolean running;

	private volatile boolean listening;

	/**
	 * Create an outbox.
	 * @param dataSource the data source of the table, the one the application's transactions
	 * use
	 * @param table the table, optionally with its schema, such as {@code hare_outbox}
	 * @param publishers the publisher of a given name, or {@code null} if there is none
	 */
	public HareOutbox(DataSource dataSource, String table, Function<String, @Nullable HarePublisher> publishers) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.hasText(table, "'table' must not be empty");
		Assert.notNull(publishers, "'publishers' must not be null");
		this.table = new OutboxTable(dataSource, table);
		this.publishers = publishers;
	}

	/**
	 * Set whether a publish outside a transaction fails instead of sending at once.
	 * @param requireTransaction whether to require a transaction
	 */
	public void setRequireTransaction(boolean requireTransaction) {
		this.requireTransaction = requireTransaction;
	}

	/**
	 * Set whether to create the table, unless it exists, when the outbox starts.
	 * @param initializeSchema whether to create the table
	 */
	public void setInitializeSchema(boolean initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	/**
	 * Set the most rows a relay claims and sends at once.
	 * @param batchSize a positive size
	 */
	public void setBatchSize(int batchSize) {
		Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
		this.batchSize = batchSize;
	}

	/**
	 * Set how often the relay looks for rows when nothing woke it.
	 * @param pollInterval a positive interval
	 */
	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = Durations.positive(pollInterval, "pollInterval");
	}

	/**
	 * Set how long a relay's claim on a batch lasts: after it, another relay sends the rows
	 * that the first did not finish. Longer than the publishers' confirm timeout.
	 * @param lease a positive lease
	 */
	public void setLease(Duration lease) {
		this.lease = Durations.positive(lease, "lease");
	}

	/**
	 * Set the wait before a failed message is tried again, doubled after each failure up to
	 * the maximum.
	 * @param initial the first wait
	 * @param max the longest wait
	 */
	public void setBackoff(Duration initial, Duration max) {
		this.initialBackoff = Durations.positive(initial, "initial backoff");
		this.maxBackoff = Durations.positive(max, "max backoff");
		Assert.isTrue(max.compareTo(initial) >= 0, "The max backoff must not be shorter than the initial one");
	}

	/**
	 * Order the messages that share the value of a header, or else of a JSON field of their
	 * body: such messages are sent in the order they were stored. Others are not ordered.
	 * @param header the header, {@link #DEFAULT_ORDERING_HEADER} unless set
	 * @param field a top-level field of a JSON body, or {@code null} for none
	 * @param jsonMapper the mapper that reads the field
	 */
	public void setOrdering(String header, @Nullable String field, @Nullable JsonMapper jsonMapper) {
		Assert.hasText(header, "'header' must not be empty");
		Assert.isTrue(field == null || jsonMapper != null, "Ordering by a field needs a JsonMapper");
		this.orderingHeader = header;
		this.orderingField = field;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Return the outbox table's name.
	 * @return the name, with its schema if it was given one
	 */
	public String getTable() {
		return this.table.name();
	}

	@Override
	public boolean intercepts(String publisher) {
		if (OutboxRelay.isRelaying()) {
			return false;
		}
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			Assert.state(!this.requireTransaction, () -> "Hare publisher '" + publisher + "' was called outside a "
					+ "transaction, and hare.outbox.require-transaction is set");
			return false;
		}
		// Written on another connection, the row would commit on its own, whatever became of
		// the transaction: refuse rather than break the promise.
		Assert.state(TransactionSynchronizationManager.hasResource(this.table.dataSource()), () -> "Hare publisher '"
				+ publisher + "' was called in a transaction that does not include the outbox's DataSource; "
				+ "use a transaction manager for that DataSource (such as Spring Boot's)");
		return true;
	}

	@Override
	public void store(Entry entry) {
		Message message = entry.message();
		this.table.insert(entry.publisher(), entry.exchange(), entry.routingKey(), orderingKey(message), message,
				entry.deliverAt());
		if (TransactionSynchronizationManager.isSynchronizationActive() && !registered()) {
			if (this.listening) {
				this.table.notifyRelays(this.table.name());
			}
			TransactionSynchronizationManager.registerSynchronization(new RelayOnCommit(this));
		}
	}

	private boolean registered() {
		return TransactionSynchronizationManager.getSynchronizations()
			.stream()
			.anyMatch((synchronization) -> synchronization instanceof RelayOnCommit relayOnCommit
					&& relayOnCommit.outbox == this);
	}

	private @Nullable String orderingKey(Message message) {
		Object header = message.getMessageProperties().getHeader(this.orderingHeader);
		if (header != null) {
			return header.toString();
		}
		String field = this.orderingField;
		JsonMapper mapper = this.jsonMapper;
		if (field == null || mapper == null) {
			return null;
		}
		try {
			JsonNode value = mapper.readTree(new String(message.getBody(), StandardCharsets.UTF_8)).get(field);
			return (value == null || value.isNull()) ? null : value.asString();
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Make the relay look for rows now.
	 */
	public void relayNow() {
		OutboxRelay relay = this.relay;
		if (relay != null) {
			relay.wake();
		}
	}

	/**
	 * Return the backlog, read from the table, and what the relay did so far.
	 * @return the statistics
	 * @throws org.springframework.dao.DataAccessException if the table cannot be read
	 */
	public OutboxStatistics getStatistics() {
		OutboxTable.Backlog backlog = this.table.backlog();
		return new OutboxStatistics(this.table.name(), backlog.pending(), backlog.oldestAge(), this.counters.sent(),
				this.counters.failed(), this.counters.duplicates());
	}

	/**
	 * Whether the relay is woken by PostgreSQL notifications, rather than only polling.
	 * @return whether it listens
	 */
	public boolean isListening() {
		return this.listening;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.initializeSchema) {
			this.table.createSchema();
		}
		OutboxRelay relay = new OutboxRelay(this.table, this.publishers, new OutboxRelay.RelaySettings(this.batchSize,
				this.pollInterval, this.lease, this.initialBackoff, this.maxBackoff), this.counters, this.owner);
		relay.start();
		this.relay = relay;
		daemon("hare-outbox-relay", relay);
		this.listening = listens(this.table.dataSource());
		if (this.listening) {
			OutboxNotifications notifications = new OutboxNotifications(this.table.dataSource(), this.table.name(),
					relay, this.maxBackoff);
			notifications.start();
			this.notifications = notifications;
			daemon("hare-outbox-listen", notifications);
		}
		this.running = true;
	}

	private static boolean listens(DataSource dataSource) {
		try {
			return OutboxNotifications.supported(dataSource);
		}
		catch (LinkageError ex) {
			// No PostgreSQL driver: poll.
			return false;
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public synchronized void stop() {
		OutboxRelay relay = this.relay;
		if (relay != null) {
			relay.stop();
			relay.close();
		}
		OutboxNotifications notifications = this.notifications;
		if (notifications != null) {
			notifications.stop();
		}
		this.relay = null;
		this.notifications = null;
		this.listening = false;
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Start after the publishers declared their exchanges and stop before them, so that a
	 * batch in flight can finish.
	 */
	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE - 50;
	}

	/**
	 * Wakes this instance's relay when a transaction that stored messages committed: they go
	 * out without waiting for a poll or a notification.
	 */
	private static final class RelayOnCommit implements TransactionSynchronization {

		private final HareOutbox outbox;

		RelayOnCommit(HareOutbox outbox) {
			this.outbox = outbox;
		}

		@Override
		public void afterCommit() {
			this.outbox.relayNow();
		}

	}

}
