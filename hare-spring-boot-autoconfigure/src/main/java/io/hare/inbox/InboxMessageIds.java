package io.hare.inbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import io.hare.dedup.DedupKeyStrategy;
import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.util.StringUtils;

/**
 * The id under which the inbox records a message: its {@code message-id}, or for a message
 * without one {@code sha256:} and the SHA-256 of the exchange and routing key it was published
 * with and its body, the key a deduplicating publisher computes for the whole message.
 */
final class InboxMessageIds {

	/**
	 * The longest id stored as it is; a longer one is stored as its SHA-256.
	 */
	static final int MAX_LENGTH = 255;

	static final String HASHED = "sha256:";

	private InboxMessageIds() {
	}

	static String of(Message message) {
		MessageProperties properties = message.getMessageProperties();
		String id = properties.getMessageId();
		if (StringUtils.hasText(id)) {
			return (id.length() <= MAX_LENGTH) ? id : HASHED + sha256(id);
		}
		// A retry comes back through the default exchange: hash where it was first published.
		String exchange = header(properties, HareHeaders.ORIGINAL_EXCHANGE, properties.getReceivedExchange());
		String routingKey = header(properties, HareHeaders.ORIGINAL_ROUTING_KEY, properties.getReceivedRoutingKey());
		return HASHED + DedupKeyStrategy.wholeMessage().key(exchange, routingKey, message.getBody(), message);
	}

	private static String header(MessageProperties properties, String header, @Nullable String fallback) {
		Object value = properties.getHeader(header);
		if (value != null) {
			return value.toString();
		}
		return (fallback != null) ? fallback : "";
	}

	private static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
	}

}
