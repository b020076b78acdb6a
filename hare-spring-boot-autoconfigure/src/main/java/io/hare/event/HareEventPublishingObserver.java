package io.hare.event;

import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;
import io.hare.listener.HareListenerObserver;
import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublishObserver;
import io.hare.publish.HarePublisher;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * Publishes a {@link HareMessageRetriedEvent} or a {@link HareMessageDeadLetteredEvent} for
 * every message a listener retried or dead-lettered, and a {@link HarePublishFailedEvent} for
 * every message a publisher could not publish; a success publishes nothing, to keep the hot
 * path cheap.
 */
public class HareEventPublishingObserver implements HareListenerObserver, HarePublishObserver {

	private final ApplicationEventPublisher eventPublisher;

	public HareEventPublishingObserver(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
		this.eventPublisher = eventPublisher;
	}

	@Override
	public void messageHandled(HandledMessage message) {
		Throwable failure = message.failure();
		if (failure == null) {
			return;
		}
		if (message.outcome() == HandlingOutcome.RETRIED && message.retryDelay() != null) {
			this.eventPublisher.publishEvent(new HareMessageRetriedEvent(message.listenerId(), message.listenerId(),
					message.queue(), message.attempt(), message.retryDelay(), failure, message.message()));
		}
		else if (message.outcome().isDeadLettered()) {
			this.eventPublisher.publishEvent(new HareMessageDeadLetteredEvent(message.listenerId(),
					message.listenerId(), message.queue(), message.attempt(), failure,
					message.outcome() == HandlingOutcome.DECODE_FAILED, message.message()));
		}
	}

	@Override
	public void failed(HarePublisher publisher, HarePublishException failure) {
		this.eventPublisher.publishEvent(new HarePublishFailedEvent(publisher, publisher.getName(), failure));
	}

}
