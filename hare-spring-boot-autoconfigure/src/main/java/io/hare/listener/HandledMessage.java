package io.hare.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * A message a Hare listener handled, and what became of it.
 *
 * @param listenerId the listener
 * @param queue the queue the message came from
 * @param outcome what became of the message
 * @param attempt the 1-based attempt that was just made
 * @param duration how long the handler, decoding included, took
 * @param failure what the handler or the decoding threw, {@code null} on success
 * @param retryDelay how long the message waits before its next attempt, when
 * {@link HandlingOutcome#RETRIED retried}
 * @param message the message as received, unchanged: the retry and dead-letter copies carry
 * the headers Hare adds
 */
public record HandledMessage(String listenerId, String queue, HandlingOutcome outcome, int attempt, Duration duration,
		@Nullable Throwable failure, @Nullable Duration retryDelay, Message message) {

}
