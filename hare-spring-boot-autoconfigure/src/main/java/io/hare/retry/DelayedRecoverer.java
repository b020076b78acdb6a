package io.hare.retry;

import java.time.Duration;

import org.springframework.amqp.core.Message;

/**
 * Republishes a failed message so that it comes back to its queue after a delay of its own.
 */
@FunctionalInterface
public interface DelayedRecoverer {

	/**
	 * Republish a failed message, returning once the broker confirmed it.
	 * @param message a copy of the message as received, with Hare's attempt header
	 * @param cause what made it fail
	 * @param delay how long it waits before it is back in its queue
	 * @throws org.springframework.amqp.AmqpException if the copy was not confirmed
	 */
	void recover(Message message, Throwable cause, Duration delay);

}
