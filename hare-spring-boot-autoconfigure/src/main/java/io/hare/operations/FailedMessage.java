package io.hare.operations;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * A dead letter as an operator pages through it: the id to act on it by, its group, why it
 * failed, its headers and the start of its body, JSON pretty-printed.
 *
 * @param id the id to redrive or delete it by: its message id, or a hash of it for a message
 * without one
 * @param group the id of its {@link DeadLetterGroup group}
 * @param attempt the attempt that failed last
 * @param exception the class of the exception that dead-lettered it
 * @param exceptionMessage the exception's message
 * @param failedAt when the last attempt failed, ISO-8601
 * @param contentType the content type
 * @param bodySize the size of the body in bytes
 * @param headers every header, each value as text cut at {@value #MAX_HEADER_CHARS} characters
 * @param body the body as text, JSON pretty-printed, cut at {@value #MAX_BODY_CHARS}
 * characters, or {@code null} for a binary body
 */
public record FailedMessage(String id, String group, int attempt, @Nullable String exception,
		@Nullable String exceptionMessage, @Nullable String failedAt, @Nullable String contentType, int bodySize,
		Map<String, String> headers, @Nullable String body) {

	/**
	 * The most characters of a body shown.
	 */
	public static final int MAX_BODY_CHARS = 4_000;

	/**
	 * The most characters of a header value shown.
	 */
	public static final int MAX_HEADER_CHARS = 1_000;

	private static final int MAX_PRETTY_PRINTED_BYTES = 256 * 1024;

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

	/**
	 * Describe a dead letter.
	 * @param message the dead letter
	 * @return its description
	 */
	public static FailedMessage of(Message message) {
		MessageProperties properties = message.getMessageProperties();
		Map<String, String> headers = new LinkedHashMap<>();
		properties.getHeaders().forEach((name, value) -> headers.put(name, cut(String.valueOf(value), MAX_HEADER_CHARS)));
		DeadLetter deadLetter = DeadLetter.of(message);
		return new FailedMessage(FailurePattern.messageId(message), FailurePattern.groupId(message),
				HareHeaders.failedAttempts(properties), deadLetter.exception(), deadLetter.exceptionMessage(),
				deadLetter.failedAt(), properties.getContentType(), message.getBody().length, headers, body(message));
	}

	private static @Nullable String body(Message message) {
		String contentType = message.getMessageProperties().getContentType();
		if (!DeadLetter.isText(contentType)) {
			return null;
		}
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		boolean json = (contentType == null || contentType.contains("json"))
				&& message.getBody().length <= MAX_PRETTY_PRINTED_BYTES;
		if (json) {
			try {
				body = jsonMapper.writerWithDefaultPrettyPrinter().writeValueAsString(jsonMapper.readTree(body));
			}
			catch (JacksonException ex) {
				// Not JSON after all: shown as it is.
			}
		}
		return cut(body, MAX_BODY_CHARS);
	}

	private static String cut(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max) + "…";
	}

}
