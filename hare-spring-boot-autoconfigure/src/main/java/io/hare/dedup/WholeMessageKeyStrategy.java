package io.hare.dedup;

import org.springframework.amqp.core.Message;

/**
 * Keys a message by its destination and whole encoded body.
 */
final class WholeMessageKeyStrategy implements DedupKeyStrategy {

	static final WholeMessageKeyStrategy INSTANCE = new WholeMessageKeyStrategy();

	private WholeMessageKeyStrategy() {
	}

	@Override
	public String key(String exchange, String routingKey, Object payload, Message message) {
		return new KeyHasher(exchange, routingKey).add(message.getBody()).hash();
	}

	@Override
	public String toString() {
		return "whole message";
	}

}
