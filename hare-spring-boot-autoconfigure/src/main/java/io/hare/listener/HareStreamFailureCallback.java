package io.hare.listener;

import io.hare.event.HareStreamHandlerFailedEvent;

/**
 * Told when the handler of a stream listener fails, for example to count failures in a
 * metric. The message has been skipped and is acked; callbacks run on the consumer thread,
 * before the next message, so they should be quick.
 */
@FunctionalInterface
public interface HareStreamFailureCallback {

	/**
	 * React to a failed stream message.
	 * @param failure the listener, stream, offset and exception
	 */
	void onFailure(HareStreamHandlerFailedEvent failure);

}
