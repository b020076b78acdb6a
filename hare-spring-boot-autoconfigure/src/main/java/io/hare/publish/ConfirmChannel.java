package io.hare.publish;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;

/**
 * One long-lived channel in confirm mode that a publisher sends every message on, each
 * message's confirm matched to it by its publish sequence number.
 * <p>
 * Why not a {@code RabbitTemplate} with a {@code CorrelationData} per message: the caching
 * connection factory keeps a channel out of its cache until all of that channel's confirms have
 * arrived, so a template that does not wait for each confirm takes a channel per message in
 * flight, opening and closing channels and starting a wait for confirms per message. One
 * channel with the broker's multiple acknowledgements is what the RabbitMQ client is built for.
 * <p>
 * The channel is opened on the publisher connection of the connection factory (a reconnect
 * there is a reconnect here) and opened again on the next send after it closed. A close fails
 * every message still waiting for its confirm with {@link Outcome.Status#CHANNEL_CLOSED}.
 * <p>
 * Futures are completed on the connection's thread, as Spring AMQP completes a
 * {@code CorrelationData}'s: a caller that blocks in a callback should use an async variant.
 */
final class ConfirmChannel implements AutoCloseable {

	private static final MessagePropertiesConverter propertiesConverter = new DefaultMessagePropertiesConverter();

	private final ConnectionFactory connectionFactory;

	private final Duration confirmTimeout;

	// Serialises sequence numbers and publishes. Never taken on the connection's thread, which
	// must stay free to read frames while a publisher waits on a blocked connection.
	private final ReentrantLock publishLock = new ReentrantLock();

	private volatile @Nullable OpenChannel current;

	private volatile boolean closed;

	/**
	 * Create a confirm channel that opens on first use.
	 * @param connectionFactory the factory whose publisher connection the channel opens on
	 * @param confirmTimeout how long a message waits for its confirm before
	 * {@link #send} fails its future with a {@link TimeoutException}
	 */
	ConfirmChannel(ConnectionFactory connectionFactory, Duration confirmTimeout) {
		ConnectionFactory publisherFactory = connectionFactory.getPublisherConnectionFactory();
		// Publishing on its own connection keeps consumers going when the broker blocks publishers.
		this.connectionFactory = (publisherFactory != null) ? publisherFactory : connectionFactory;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Publish a message, mandatory, and return the broker's answer.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message, its message id set: returns are matched by it
	 * @return a future completed with the outcome, or with a {@link TimeoutException} when the
	 * confirm does not come in time
	 * @throws org.springframework.amqp.AmqpException if the channel cannot be opened or the
	 * message cannot be written to it
	 */
	CompletableFuture<Outcome> send(String exchange, String routingKey, Message message) {
		AMQP.BasicProperties properties = propertiesConverter.fromMessageProperties(message.getMessageProperties(),
				"UTF-8");
		Pending pending = new Pending(message.getMessageProperties().getMessageId());
		this.publishLock.lock();
		try {
			OpenChannel open = open();
			long sequence = open.channel.getNextPublishSeqNo();
			open.pending.put(sequence, pending);
			try {
				open.channel.basicPublish(exchange, routingKey, true, properties, message.getBody());
			}
			catch (IOException | ShutdownSignalException ex) {
				open.pending.remove(sequence);
				throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
			}
			pending.future.orTimeout(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.exceptionally((timeout) -> {
					// Forget it; a confirm that still comes finds nothing to complete.
					open.pending.remove(sequence, pending);
					return null;
				});
			return pending.future;
		}
		finally {
			this.publishLock.unlock();
		}
	}

	private OpenChannel open() {
		OpenChannel open = this.current;
		if (open != null && open.channel.isOpen()) {
			return open;
		}
		if (this.closed) {
			throw new IllegalStateException("The publisher is closed");
		}
		// Keep the connection if only the channel closed: in the factory's CONNECTION cache mode
		// every createConnection() hands out another one. Otherwise the factory reconnects.
		Connection connection = (open != null && open.connection.isOpen()) ? open.connection
				: this.connectionFactory.createConnection();
		try {
			Channel channel = connection.getDelegate().createChannel();
			if (channel == null) {
				throw new IOException("the connection has no channel left (channel-max reached)");
			}
			channel.confirmSelect();
			open = new OpenChannel(connection, channel);
			this.current = open;
			return open;
		}
		catch (IOException ex) {
			throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		OpenChannel open = this.current;
		if (open == null) {
			return;
		}
		if (open.channel.isOpen()) {
			try {
				open.channel.close();
			}
			catch (IOException | TimeoutException | ShutdownSignalException ex) {
				// Closing anyway; its pending messages are failed by the shutdown listener.
			}
		}
		// Gives a cached connection back to the factory; the shared one stays open.
		open.connection.close();
	}

	/**
	 * What became of a published message.
	 * @param status the broker's answer
	 * @param replyCode the AMQP reply code of a return or of the channel's close, 0 otherwise
	 * @param replyText the text of a return or of the channel's close, empty otherwise
	 */
	record Outcome(Status status, int replyCode, String replyText) {

		static final Outcome CONFIRMED = new Outcome(Status.CONFIRMED, 0, "");

		static final Outcome NACKED = new Outcome(Status.NACKED, 0, "");

		enum Status {

			/** The broker took responsibility for the message. */
			CONFIRMED,

			/** The broker refused the message, for example a full queue that rejects publishes. */
			NACKED,

			/** The broker confirmed the message after returning it: no queue was bound. */
			RETURNED,

			/** The channel closed before the confirm came: the message may or may not have arrived. */
			CHANNEL_CLOSED

		}

	}

	private static final class Pending {

		private final @Nullable String messageId;

		private final CompletableFuture<Outcome> future = new CompletableFuture<>();

		// Written by the return, read by the ack after it, both on the connection's thread.
		private @Nullable Outcome returned;

		Pending(@Nullable String messageId) {
			this.messageId = messageId;
		}

	}

	/**
	 * A channel and the messages sent on it still waiting for their confirms.
	 */
	private static final class OpenChannel {

		private final Connection connection;

		private final Channel channel;

		private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

		OpenChannel(Connection connection, Channel channel) {
			this.connection = connection;
			this.channel = channel;
			channel.addConfirmListener((sequence, multiple) -> settle(sequence, multiple, null),
					(sequence, multiple) -> settle(sequence, multiple, Outcome.NACKED));
			channel.addReturnListener(this::returned);
			channel.addShutdownListener(this::closed);
		}

		private void settle(long sequence, boolean multiple, @Nullable Outcome nack) {
			if (!multiple) {
				complete(this.pending.remove(sequence), nack);
				return;
			}
			Map.Entry<Long, Pending> first;
			while ((first = this.pending.firstEntry()) != null && first.getKey() <= sequence) {
				if (this.pending.remove(first.getKey(), first.getValue())) {
					complete(first.getValue(), nack);
				}
			}
		}

		private static void complete(@Nullable Pending pending, @Nullable Outcome nack) {
			if (pending != null) {
				pending.future.complete((nack != null) ? nack
						: Objects.requireNonNullElse(pending.returned, Outcome.CONFIRMED));
			}
		}

		/**
		 * The broker returns an unroutable mandatory message before it confirms it; mark the
		 * oldest message with that id not yet marked.
		 */
		private void returned(Return returned) {
			String messageId = returned.getProperties().getMessageId();
			for (Pending pending : this.pending.values()) {
				if (pending.returned == null && Objects.equals(pending.messageId, messageId)) {
					pending.returned = new Outcome(Outcome.Status.RETURNED, returned.getReplyCode(),
							returned.getReplyText());
					return;
				}
			}
		}

		private void closed(ShutdownSignalException cause) {
			int replyCode = 0;
			String replyText = String.valueOf(cause.getMessage());
			if (cause.getReason() instanceof AMQP.Channel.Close close) {
				replyCode = close.getReplyCode();
				replyText = close.getReplyText();
			}
			else if (cause.getReason() instanceof AMQP.Connection.Close close) {
				replyCode = close.getReplyCode();
				replyText = close.getReplyText();
			}
			Outcome outcome = new Outcome(Outcome.Status.CHANNEL_CLOSED, replyCode, replyText);
			Map.Entry<Long, Pending> first;
			while ((first = this.pending.pollFirstEntry()) != null) {
				first.getValue().future.complete(outcome);
			}
		}

	}

}
