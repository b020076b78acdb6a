package io.hare.listener;

import java.time.Duration;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Runs a broadcast listener's handler: its queue is this instance's own, with no retry or
 * dead-letter queue, so a failed message is logged once and acked, reported to observers as
 * {@link HandlingOutcome#SKIPPED}; requeueing it would only fail it again.
 */
class BroadcastMessageListener implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(BroadcastMessageListener.class);

	private final String listenerId;

	private final String queue;

	private final ChannelAwareMessageListener handler;

	private final DeliveredMessages deliveredMessages;

	private final ListenerObservers observers;

	BroadcastMessageListener(String listenerId, String queue, ChannelAwareMessageListener handler,
			DeliveredMessages deliveredMessages, ListenerObservers observers) {
		this.listenerId = listenerId;
		this.queue = queue;
		this.handler = handler;
		this.deliveredMessages = deliveredMessages;
		this.observers = observers;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) {
		long start = System.nanoTime();
		try {
			this.handler.onMessage(this.deliveredMessages.prepare(message), channel);
			this.observers.messageHandled(message, HandlingOutcome.SUCCESS, Duration.ofNanos(System.nanoTime() - start),
					null, null);
		}
		catch (Exception | Error ex) {
			Throwable failure = HareMessageListener.handlerFailure(ex);
			if (failure instanceof InterruptedException) {
				throw HareMessageListener.requeueOnInterrupt(failure);
			}
			logger.warn("Hare broadcast listener '" + this.listenerId + "' dropped a message from queue '" + this.queue
					+ "': its handler failed and a broadcast message has no retry (" + failure + ")");
			this.observers.messageHandled(message, HandlingOutcome.SKIPPED, Duration.ofNanos(System.nanoTime() - start),
					failure, null);
		}
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("Hare listeners need the channel");
	}

}
