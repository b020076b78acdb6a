package io.hare.testing;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;
import io.hare.retry.HareHeaders;
import io.hare.retry.HareRepublisher;
import io.hare.topology.TopologyNames;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;

/**
 * A message a listener dead-lettered, as {@link HareTestHarness#awaitDeadLettered(String)}
 * returns it: why, after which attempt, and the copy Hare sent to the dead-letter queue.
 *
 * @param listenerId the listener
 * @param deadLetterQueue the queue the dead letter is in
 * @param attempt the 1-based attempt that failed last
 * @param failure what the handler threw, or why the message could not be decoded
 * @param undecodable whether the message could not be decoded
 * @param message the dead letter: the message as received with the reason headers Hare wrote
 * on the copy ({@code x-hare-attempt}, {@code x-hare-exception}, …), all but the stack trace
 */
public record HareDeadLetter(String listenerId, String deadLetterQueue, int attempt, Throwable failure,
		boolean undecodable, Message message) {

	static HareDeadLetter of(HandledMessage handled) {
		Throwable failure = (handled.failure() != null) ? handled.failure()
				: new IllegalStateException("dead-lettered without a failure");
		Message copy = MessageBuilder.fromClonedMessage(handled.message())
			.copyHeaders(HareRepublisher.reasonHeaders(handled.message(), failure, handled.listenerId()))
			.setHeader(HareHeaders.ATTEMPT, handled.attempt())
			.build();
		return new HareDeadLetter(handled.listenerId(), TopologyNames.deadQueue(handled.queue()), handled.attempt(),
				failure, handled.outcome() == HandlingOutcome.DECODE_FAILED, copy);
	}

	/**
	 * Return the dead letter's headers, the reason headers included.
	 * @return the headers
	 */
	public Map<String, @Nullable Object> headers() {
		return this.message.getMessageProperties().getHeaders();
	}

	/**
	 * Return the class name in {@link HareHeaders#EXCEPTION}.
	 * @return the exception class
	 */
	public @Nullable String exception() {
		Object exception = headers().get(HareHeaders.EXCEPTION);
		return (exception != null) ? exception.toString() : null;
	}

	/**
	 * Return the text in {@link HareHeaders#EXCEPTION_MESSAGE}.
	 * @return the exception message
	 */
	public @Nullable String exceptionMessage() {
		Object message = headers().get(HareHeaders.EXCEPTION_MESSAGE);
		return (message != null) ? message.toString() : null;
	}

}
