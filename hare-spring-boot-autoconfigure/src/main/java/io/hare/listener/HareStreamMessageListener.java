package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.event.HareStreamHandlerFailedEvent;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.listener.ListenerExecutionFailedException;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Runs the handler of a stream listener. A stream is immutable and every consumer reads
 * every message, so a failed message cannot be retried: it is copied to the listener's
 * dead-letter queue or stream if it has one (confirmed before the listener moves on), then
 * acked, logged with its offset, published as a {@link HareStreamHandlerFailedEvent} and
 * handed to every {@link HareStreamFailureCallback}.
 */
class HareStreamMessageListener implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(HareStreamMessageListener.class);

	private final String listenerId;

	private final String stream;

	private final ChannelAwareMessageListener handler;

	private final StreamPosition position;

	private final ApplicationEventPublisher eventPublisher;

	private final List<HareStreamFailureCallback> failureCallbacks;

	private final ListenerObservers observers;

	private @Nullable StreamDeadLetterer deadLetterer;

	private BooleanSupplier running = () -> true;

	HareStreamMessageListener(String listenerId, String stream, ChannelAwareMessageListener handler,
			StreamPosition position, ApplicationEventPublisher eventPublisher,
			List<HareStreamFailureCallback> failureCallbacks, List<HareListenerObserver> observers) {
		this.listenerId = listenerId;
		this.stream = stream;
		this.handler = handler;
		this.position = position;
		this.eventPublisher = eventPublisher;
		this.failureCallbacks = List.copyOf(failureCallbacks);
		this.observers = new ListenerObservers(listenerId, stream, observers);
	}

	/**
	 * Copy each failed message to a dead-letter queue or stream before moving past it.
	 * @param deadLetterer the dead-letterer
	 * @param running whether the listener still runs, so that an unconfirmed copy is tried
	 * again only while it does
	 */
	void setDeadLetterer(StreamDeadLetterer deadLetterer, BooleanSupplier running) {
		this.deadLetterer = deadLetterer;
		this.running = running;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) {
		Long offset = offset(message);
		long start = System.nanoTime();
		try {
			this.handler.onMessage(message, channel);
			observe(message, HandlingOutcome.SUCCESS, start, null);
		}
		catch (Exception | Error ex) {
			Throwable failure = (ex instanceof ListenerExecutionFailedException && ex.getCause() != null)
					? ex.getCause() : ex;
			// Throws, leaving the position where it is, only if the listener stopped before
			// the copy was confirmed: the message is read again at its next start.
			String deadLetter = deadLetter(message, failure);
			failed(offset, failure, deadLetter);
			observe(message, HandlingOutcome.SKIPPED, start, failure);
		}
		if (offset != null) {
			this.position.finished(offset);
		}
	}

	private @Nullable String deadLetter(Message message, Throwable failure) {
		StreamDeadLetterer deadLetterer = this.deadLetterer;
		if (deadLetterer == null) {
			return null;
		}
		deadLetterer.deadLetter(message, failure, this.running);
		return deadLetterer.getTarget();
	}

	private void observe(Message message, HandlingOutcome outcome, long start, @Nullable Throwable failure) {
		// A stream message has no attempt header: it is always the first attempt.
		this.observers.messageHandled(message, outcome, Duration.ofNanos(System.nanoTime() - start), failure, null);
	}

	private void failed(@Nullable Long offset, Throwable failure, @Nullable String deadLetter) {
		logger.warn("Hare stream listener '" + this.listenerId + "' skipped the message at offset " + offset
				+ " of stream '" + this.stream + "'" + ((deadLetter != null) ? ", copied to '" + deadLetter + "'" : "")
				+ ": its handler failed, and a stream message cannot be retried (" + failure + ")", failure);
		HareStreamHandlerFailedEvent event = new HareStreamHandlerFailedEvent(this, this.listenerId, this.stream,
				offset, failure, deadLetter);
		// Reporting must not stop the ack: the message would be redelivered forever.
		try {
			this.eventPublisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("Hare stream listener '" + this.listenerId + "': an event listener failed: " + ex, ex);
		}
		for (HareStreamFailureCallback callback : this.failureCallbacks) {
			try {
				callback.onFailure(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Hare stream listener '" + this.listenerId + "': a failure callback failed: " + ex, ex);
			}
		}
	}

	private static @Nullable Long offset(Message message) {
		Object value = message.getMessageProperties().getHeaders().get(StreamOffset.ARGUMENT);
		return (value instanceof Number number) ? number.longValue() : null;
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("Hare listeners need the channel");
	}

}
