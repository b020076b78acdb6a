package io.hare.listener;

/**
 * Observes Hare listeners, for metrics, events and statistics: the listeners as they are
 * created and destroyed, and every message they handle. Hare's core calls observers but
 * knows nothing of Micrometer or application events; beans of this type are picked up in
 * {@link org.springframework.core.Ordered order}.
 * <p>
 * Callbacks run on the consumer's thread, before the message is acked: they must be fast and
 * should not throw (what they throw is logged and otherwise ignored).
 */
public interface HareListenerObserver {

	/**
	 * Called when a listener was created, before it starts.
	 * @param listener the listener
	 */
	default void listenerCreated(HareListenerContainer listener) {
	}

	/**
	 * Called once per delivery, after the handler ran and the message's fate was decided.
	 * @param message what happened to the message
	 */
	default void messageHandled(HandledMessage message) {
	}

	/**
	 * Called once per batch a batch listener received, before its messages are handled (each
	 * is then reported to {@link #messageHandled(HandledMessage)}).
	 * @param listenerId the listener id
	 * @param size the number of messages in the batch
	 */
	default void batchHandled(String listenerId, int size) {
	}

	/**
	 * Called when a listener was destroyed.
	 * @param listener the listener
	 */
	default void listenerDestroyed(HareListenerContainer listener) {
	}

}
