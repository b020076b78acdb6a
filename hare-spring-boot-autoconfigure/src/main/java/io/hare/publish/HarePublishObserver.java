package io.hare.publish;

/**
 * Observes what becomes of every message a {@link HarePublisher} is given, for metrics,
 * events and statistics; Hare's publisher knows nothing of Micrometer or application events.
 * Beans of this type are picked up in {@link org.springframework.core.Ordered order}.
 * <p>
 * Callbacks run on the thread that completes the publish (the caller's, or the thread that
 * receives the broker's confirm): they must be fast and should not throw (what they throw is
 * logged and otherwise ignored).
 */
public interface HarePublishObserver {

	/**
	 * Called when a message was confirmed by the broker or dropped as a duplicate.
	 * @param publisher the publisher
	 * @param result what became of the message
	 */
	default void published(HarePublisher publisher, PublishResult result) {
	}

	/**
	 * Called when a message was not confirmed.
	 * @param publisher the publisher
	 * @param failure why, with the exchange, routing key and message id
	 */
	default void failed(HarePublisher publisher, HarePublishException failure) {
	}

}
