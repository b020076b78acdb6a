package io.hare.listener;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;

/**
 * Tells a listener's {@link HareListenerObserver observers} what became of each message; an
 * observer that throws is logged and otherwise ignored.
 */
final class ListenerObservers {

	private static final Log logger = LogFactory.getLog(ListenerObservers.class);

	private final String listenerId;

	private final String queue;

	private final List<HareListenerObserver> observers;

	ListenerObservers(String listenerId, String queue, List<HareListenerObserver> observers) {
		this.listenerId = listenerId;
		this.queue = queue;
		this.observers = List.copyOf(observers);
	}

	void messageHandled(Message message, HandlingOutcome outcome, Duration duration, @Nullable Throwable failure,
			@Nullable Duration retryDelay) {
		if (this.observers.isEmpty()) {
			return;
		}
		// The message is as received: this attempt is the one after those that failed before.
		int attempt = HareHeaders.failedAttempts(message.getMessageProperties()) + 1;
		HandledMessage handled = new HandledMessage(this.listenerId, this.queue, outcome, attempt, duration, failure,
				retryDelay, message);
		notify((observer) -> observer.messageHandled(handled));
	}

	void batchHandled(int size) {
		notify((observer) -> observer.batchHandled(this.listenerId, size));
	}

	private void notify(java.util.function.Consumer<HareListenerObserver> call) {
		for (HareListenerObserver observer : this.observers) {
			try {
				call.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.warn("Hare listener observer " + observer.getClass().getName() + " failed on a message of '"
						+ this.listenerId + "': " + ex, ex);
			}
		}
	}

}
