package io.hare.inbox;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Runs an idempotent listener's handler in a transaction that first records the message's id
 * in the inbox: a message recorded before is skipped, so the listener's container acks it
 * without the handler; a handler that throws rolls the record back with its own work, so the
 * retry runs it again.
 */
final class IdempotentListener implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(IdempotentListener.class);

	private final String listenerId;

	private final ChannelAwareMessageListener handler;

	private final InboxTable table;

	private final TransactionTemplate transactions;

	private final Runnable duplicateCounter;

	IdempotentListener(String listenerId, ChannelAwareMessageListener handler, InboxTable table,
			TransactionTemplate transactions, Runnable duplicateCounter) {
		this.listenerId = listenerId;
		this.handler = handler;
		this.table = table;
		this.transactions = transactions;
		this.duplicateCounter = duplicateCounter;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		String messageId = InboxMessageIds.of(message);
		boolean handled;
		try {
			handled = Boolean.TRUE.equals(this.transactions.execute((status) -> handleOnce(message, channel, messageId)));
		}
		catch (CheckedFailure ex) {
			throw ex.failure;
		}
		if (!handled) {
			this.duplicateCounter.run();
			if (logger.isDebugEnabled()) {
				logger.debug("Hare listener '" + this.listenerId + "' handled message " + messageId
						+ " before; acked without calling the handler");
			}
		}
	}

	private boolean handleOnce(Message message, @Nullable Channel channel, String messageId) {
		// Written on another connection, the id would commit on its own, whatever became of the
		// handler's work: refuse rather than break the promise.
		Assert.state(TransactionSynchronizationManager.hasResource(this.table.dataSource()),
				() -> "The transaction of idempotent Hare listener '" + this.listenerId + "' does not include the "
						+ "inbox's DataSource; use a transaction manager for that DataSource (such as Spring Boot's)");
		if (!this.table.record(this.listenerId, messageId)) {
			return false;
		}
		try {
			this.handler.onMessage(message, channel);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new CheckedFailure(ex);
		}
		return true;
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("Hare listeners need the channel");
	}

	/**
	 * Carries a checked exception of the handler through the transaction, which rolls back on
	 * it, to be thrown as it was.
	 */
	private static final class CheckedFailure extends RuntimeException {

		private final Exception failure;

		CheckedFailure(Exception failure) {
			super(failure);
			this.failure = failure;
		}

	}

}
