package io.hare.inbox;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.listener.IdempotentHandlers;
import io.hare.support.Durations;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Hare's idempotent inbox: the handler of an idempotent listener runs in a transaction that
 * records the message's id in the inbox table ({@code INSERT ... ON CONFLICT DO NOTHING}), so
 * that a message redelivered after its ack was lost is acked without calling the handler
 * again, and the handler's own database work happens once. Ids older than the retention are
 * deleted on a schedule.
 */
public class HareInbox implements IdempotentHandlers, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(HareInbox.class);

	private final InboxTable table;

	private final TransactionTemplate transactions;

	private final AtomicLong duplicates = new AtomicLong();

	private boolean initializeSchema;

	private Duration retention = Duration.ofDays(7);

	private Duration cleanupInterval = Duration.ofHours(1);

	private @Nullable ScheduledExecutorService cleaner;

	private volatile boolean cleanupFailing;

	/**
	 * Create an inbox.
	 * @param dataSource the data source of the table, the one the handlers' work uses
	 * @param transactionManager the transaction manager of that data source
	 * @param table the table, optionally with its schema, such as {@code hare_inbox}
	 */
	public HareInbox(DataSource dataSource, PlatformTransactionManager transactionManager, String table) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		this.table = new InboxTable(dataSource, table);
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * Set whether to create the table, unless it exists, when the inbox starts.
	 * @param initializeSchema whether to create the table
	 */
	public void setInitializeSchema(boolean initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	/**
	 * Set how long a message's id is kept: a redelivery that comes later is handled again.
	 * @param retention a positive duration
	 */
	public void setRetention(Duration retention) {
		this.retention = Durations.positive(retention, "retention");
	}

	/**
	 * Set how often ids older than the retention are deleted.
	 * @param cleanupInterval a positive interval
	 */
	public void setCleanupInterval(Duration cleanupInterval) {
		this.cleanupInterval = Durations.positive(cleanupInterval, "cleanupInterval");
	}

	@Override
	public ChannelAwareMessageListener wrap(String listenerId, ChannelAwareMessageListener handler) {
		Assert.hasText(listenerId, "'listenerId' must not be empty");
		Assert.notNull(handler, "'handler' must not be null");
		return new IdempotentListener(listenerId, handler, this.table, this.transactions,
				this.duplicates::incrementAndGet);
	}

	/**
	 * Return the inbox table's name.
	 * @return the name, with its schema if it was given one
	 */
	public String getTable() {
		return this.table.name();
	}

	/**
	 * Return how many deliveries were acked without calling the handler, since the start,
	 * because their message was handled before.
	 * @return the number of duplicates skipped
	 */
	public long getDuplicates() {
		return this.duplicates.get();
	}

	/**
	 * Delete the ids older than the retention now.
	 * @return how many were deleted
	 */
	public int cleanUp() {
		return this.table.deleteOlderThan(this.retention);
	}

	@Override
	public synchronized void start() {
		if (this.cleaner != null) {
			return;
		}
		if (this.initializeSchema) {
			this.table.createSchema();
		}
		ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "hare-inbox-cleanup");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.cleanupInterval.toMillis();
		cleaner.scheduleWithFixedDelay(this::scheduledCleanUp, interval, interval, TimeUnit.MILLISECONDS);
		this.cleaner = cleaner;
	}

	// One WARN when the clean-up starts failing and one INFO when it works again.
	private void scheduledCleanUp() {
		try {
			int deleted = cleanUp();
			if (this.cleanupFailing) {
				this.cleanupFailing = false;
				logger.info("Hare inbox clean-up of " + this.table.name() + " works again");
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Hare inbox clean-up deleted " + deleted + " ids from " + this.table.name());
			}
		}
		catch (DataAccessException ex) {
			if (!this.cleanupFailing) {
				this.cleanupFailing = true;
				logger.warn("Hare inbox clean-up of " + this.table.name() + " failed: " + ex.getMessage());
			}
		}
	}

	@Override
	public synchronized void stop() {
		if (this.cleaner != null) {
			this.cleaner.shutdownNow();
			this.cleaner = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.cleaner != null;
	}

	/**
	 * Start before the listeners, so that the table exists when the first message comes.
	 */
	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
	}

}
