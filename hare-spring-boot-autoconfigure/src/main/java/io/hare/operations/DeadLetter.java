package io.hare.operations;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * A dead letter as an operator sees it: why it failed, where it came from, and the start of
 * its body.
 *
 * @param messageId the message id, if the publisher set one
 * @param attempt the attempt that failed last
 * @param exception the class of the exception that dead-lettered it
 * @param exceptionMessage the exception's message
 * @param failedAt when the last attempt failed, ISO-8601
 * @param originalExchange the exchange the message was first published to
 * @param originalRoutingKey the routing key it was first published with
 * @param contentType the content type
 * @param bodySize the size of the body in bytes
 * @param body the body as text, cut at {@value #MAX_BODY_CHARS} characters, or {@code null}
 * for a binary body
 */
public record DeadLetter(@Nullable String messageId, int attempt, @Nullable String exception,
		@Nullable String exceptionMessage, @Nullable String failedAt, @Nullable String originalExchange,
		@Nullable String originalRoutingKey, @Nullable String contentType, int bodySize, @Nullable String body) {

	/**
	 * The most characters of a body shown.
	 */
	public static final int MAX_BODY_CHARS = 1_000;

	/**
	 * Describe a dead letter.
	 * @param message the dead letter
	 * @return its description
	 */
	public static DeadLetter of(Message message) {
		MessageProperties properties = message.getMessageProperties();
		Map<String, @Nullable Object> headers = properties.getHeaders();
		return new DeadLetter(properties.getMessageId(), HareHeaders.failedAttempts(properties),
				string(headers.get(HareHeaders.EXCEPTION)), string(headers.get(HareHeaders.EXCEPTION_MESSAGE)),
				string(headers.get(HareHeaders.FAILED_AT)), string(headers.get(HareHeaders.ORIGINAL_EXCHANGE)),
				string(headers.get(HareHeaders.ORIGINAL_ROUTING_KEY)), properties.getContentType(),
				message.getBody().length, body(message));
	}

	private static @Nullable String body(Message message) {
		if (!isText(message.getMessageProperties().getContentType())) {
			return null;
		}
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		return (body.length() <= MAX_BODY_CHARS) ? body : body.substring(0, MAX_BODY_CHARS) + "...";
	}

	static boolean isText(@Nullable String contentType) {
		return contentType == null || contentType.startsWith("text/") || contentType.contains("json")
				|| contentType.contains("xml");
	}

	private static @Nullable String string(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}
