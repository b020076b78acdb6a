package io.hare.support;

import java.util.Optional;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Reads the broker's reason out of a failure caused by it closing a channel, such as a
 * declaration it refused ({@code 406 PRECONDITION_FAILED}) or a missing exchange
 * ({@code 404 NOT_FOUND}).
 */
public final class ChannelCloses {

	/**
	 * The reply code of a channel closed because something does not exist.
	 */
	public static final int NOT_FOUND = 404;

	private ChannelCloses() {
	}

	/**
	 * Return the broker's channel close in a failure's causes.
	 * @param failure the failure
	 * @return the close, empty when the broker did not close a channel (the connection failed,
	 * say)
	 */
	public static Optional<AMQP.Channel.Close> of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException shutdown
					&& shutdown.getReason() instanceof AMQP.Channel.Close close) {
				return Optional.of(close);
			}
		}
		return Optional.empty();
	}

	/**
	 * Return the broker's reply text of the channel close in a failure's causes.
	 * @param failure the failure
	 * @return the reply text, which names what the broker refused and why
	 */
	public static Optional<String> replyText(Throwable failure) {
		return of(failure).map(AMQP.Channel.Close::getReplyText);
	}

}
