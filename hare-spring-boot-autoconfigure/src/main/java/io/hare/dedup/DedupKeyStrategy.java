package io.hare.dedup;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;

/**
 * Derives the deduplication key of a message about to be published. Two messages with the same
 * key are duplicates; a key should therefore include the destination, as the provided
 * strategies do.
 */
@FunctionalInterface
public interface DedupKeyStrategy {

	/**
	 * Return the key of a message.
	 * @param exchange the exchange it goes to
	 * @param routingKey its routing key
	 * @param payload what the caller published
	 * @param message the encoded message
	 * @return the key
	 * @throws DedupKeyException if the message lacks what the key is made of
	 */
	String key(String exchange, String routingKey, Object payload, Message message);

	/**
	 * Return a strategy whose key is a SHA-256 hash of the destination and the whole encoded body:
	 * byte-identical bodies to the same exchange and routing key are duplicates.
	 * @return the strategy
	 */
	static DedupKeyStrategy wholeMessage() {
		return WholeMessageKeyStrategy.INSTANCE;
	}

	/**
	 * Return a strategy whose key is a SHA-256 hash of the destination and the values of some
	 * fields of the JSON body.
	 * @param jsonMapper the mapper that reads the body
	 * @param fields field names; a dotted name such as {@code customer.id} or a JSON pointer such
	 * as {@code /customer/id} reaches into nested objects
	 * @return the strategy
	 */
	static DedupKeyStrategy fields(JsonMapper jsonMapper, List<String> fields) {
		return new FieldsKeyStrategy(jsonMapper, fields);
	}

}
