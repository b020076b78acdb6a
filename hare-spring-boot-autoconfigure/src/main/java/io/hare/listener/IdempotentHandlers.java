package io.hare.listener;

import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Makes the handler of an {@link HareListener#idempotent() idempotent} listener take effect once
 * per message, however often the broker delivers it; Hare's inbox implements it.
 */
@FunctionalInterface
public interface IdempotentHandlers {

	/**
	 * Wrap the handler of an idempotent listener.
	 * @param listenerId the listener's id
	 * @param handler the handler, which decodes the message and calls the listener's method
	 * @return a handler that calls it at most once per message, or throws what it threw
	 */
	ChannelAwareMessageListener wrap(String listenerId, ChannelAwareMessageListener handler);

}
