package io.hare.listener;

/**
 * Handles the payload of a message, for a listener registered in code through
 * {@link HareListenerRegistry#register(String, ListenerProperties, Class, HareMessageHandler)}. The
 * message is acked when it returns and retried when it throws, as for a
 * {@link HareListener @HareListener} method.
 *
 * @param <T> the payload type: a record, POJO, {@code Map} or {@code JsonNode} decoded from
 * JSON, {@code String}, {@code byte[]}, or Spring AMQP's {@code Message} as received
 */
@FunctionalInterface
public interface HareMessageHandler<T> {

	/**
	 * Handle a payload.
	 * @param payload the decoded payload
	 * @throws Exception to have the message retried, or dead-lettered after the retry limit
	 */
	void handle(T payload) throws Exception;

}
