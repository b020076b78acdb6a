package io.hare.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.util.Assert;

/**
 * A payload with what to change for one publish: its destination, message id, headers or any
 * other message property. Unset parts take the publisher's settings.
 */
public final class PublishRequest {

	private final Object payload;

	private @Nullable String exchange;

	private @Nullable String routingKey;

	private final List<Consumer<MessageProperties>> propertiesCustomizers = new ArrayList<>();

	private PublishRequest(Object payload) {
		this.payload = payload;
	}

	/**
	 * Start a request: a {@code String} or {@code byte[]} is sent as it is, a Spring AMQP
	 * {@link org.springframework.amqp.core.Message} with its properties, anything else as JSON.
	 * @param payload the payload
	 * @return the request
	 */
	public static PublishRequest of(Object payload) {
		Assert.notNull(payload, "'payload' must not be null");
		return new PublishRequest(payload);
	}

	/**
	 * Send to this exchange instead of the publisher's; it is not declared.
	 * @param exchange the exchange, empty for the default exchange
	 * @return this request
	 */
	public PublishRequest exchange(String exchange) {
		Assert.notNull(exchange, "'exchange' must not be null");
		this.exchange = exchange;
		return this;
	}

	/**
	 * Send with this routing key instead of the publisher's.
	 * @param routingKey the routing key
	 * @return this request
	 */
	public PublishRequest routingKey(String routingKey) {
		Assert.notNull(routingKey, "'routingKey' must not be null");
		this.routingKey = routingKey;
		return this;
	}

	/**
	 * Send with this message id instead of a generated one.
	 * @param messageId the message id
	 * @return this request
	 */
	public PublishRequest messageId(String messageId) {
		Assert.hasText(messageId, "'messageId' must not be empty");
		return properties((properties) -> properties.setMessageId(messageId));
	}

	/**
	 * Add a header.
	 * @param name the header name
	 * @param value the value
	 * @return this request
	 */
	public PublishRequest header(String name, Object value) {
		Assert.hasText(name, "'name' must not be empty");
		return properties((properties) -> properties.setHeader(name, value));
	}

	/**
	 * Change any message property, such as the priority, expiration or correlation id; runs
	 * after the publisher set its defaults (persistent delivery, content type).
	 * @param customizer what to change
	 * @return this request
	 */
	public PublishRequest properties(Consumer<MessageProperties> customizer) {
		Assert.notNull(customizer, "'customizer' must not be null");
		this.propertiesCustomizers.add(customizer);
		return this;
	}

	public Object getPayload() {
		return this.payload;
	}

	public @Nullable String getExchange() {
		return this.exchange;
	}

	public @Nullable String getRoutingKey() {
		return this.routingKey;
	}

	void customize(MessageProperties properties) {
		this.propertiesCustomizers.forEach((customizer) -> customizer.accept(properties));
	}

}
