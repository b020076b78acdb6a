package io.hare.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.hare.support.CredentialMasker;

import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.core.AmqpNackReceivedException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecovererWithConfirms;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Republishes a copy of a failed message through the default exchange to one of a listener's
 * retry or dead-letter queues, with Hare's reason headers and a stack trace bounded to fit the
 * broker's {@code frame_max}, and returns only once the broker confirmed it, so the original
 * can be acked without risk of loss. The message it is given is left unchanged, and it logs
 * nothing: the {@link RetryRouter} logs one line per copy.
 */
public class HareRepublisher extends RepublishMessageRecovererWithConfirms {

	static final int MAX_EXCEPTION_MESSAGE_LENGTH = 1_000;

	/**
	 * RabbitMQ's default {@code frame_max}, for a connection that negotiated no limit.
	 */
	private static final int DEFAULT_FRAME_MAX = 131_072;

	private static final String ELLIPSIS = "...";

	private static final MessagePropertiesConverter PROPERTIES_CONVERTER = new DefaultMessagePropertiesConverter();

	private final RabbitTemplate template;

	private final ConfirmType confirmType;

	private final long confirmTimeoutMillis;

	private final String queue;

	private final String listenerId;

	private volatile int frameMax;

	/**
	 * Create a republisher.
	 * @param template a template on a connection factory with the given confirm type
	 * @param confirmType the publisher confirm type of the template's connection factory
	 * @param confirmTimeout how long to wait for the broker's confirm
	 * @param queue the queue to republish to
	 * @param listenerId the listener, written in {@link HareHeaders#LISTENER}
	 */
	public HareRepublisher(RabbitTemplate template, ConfirmType confirmType, Duration confirmTimeout, String queue,
			String listenerId) {
		super(template, "", queue, confirmType);
		setConfirmTimeout(confirmTimeout.toMillis());
		this.confirmType = confirmType;
		this.confirmTimeoutMillis = confirmTimeout.toMillis();
		this.template = template;
		this.queue = queue;
		this.listenerId = listenerId;
	}

	/**
	 * Send a copy of the message, on new properties, with the reason headers, and wait for
	 * the broker's confirm. Unlike Spring AMQP's {@code recover}, this neither changes the
	 * message in place nor logs a line per message.
	 * @param message the failed message, left unchanged
	 * @param cause what made it fail
	 */
	@Override
	public void recover(Message message, @Nullable Throwable cause) {
		doSend("", this.queue, copyWithReasons(message, cause));
	}

	/**
	 * Send a copy of the message as {@link #recover} does, without waiting for the broker's
	 * confirm, so that a consumer can go on while it travels: with correlated confirms only;
	 * with simple confirms this waits, as {@link #recover} does.
	 * @param message the failed message, left unchanged
	 * @param cause what made it fail
	 * @return completes once the broker confirmed the copy; exceptionally with
	 * {@link AmqpMessageReturnedException} if its queue is missing, with
	 * {@link AmqpNackReceivedException} if the broker refused it, or with a
	 * {@link java.util.concurrent.TimeoutException} after the confirm timeout
	 */
	public CompletableFuture<@Nullable Void> recoverAsync(Message message, @Nullable Throwable cause) {
		Message copy = copyWithReasons(message, cause);
		if (this.confirmType != ConfirmType.CORRELATED) {
			doSend("", this.queue, copy);
			return CompletableFuture.completedFuture(null);
		}
		CorrelationData correlation = new CorrelationData();
		this.template.send("", this.queue, copy, correlation);
		return correlation.getFuture()
			.orTimeout(this.confirmTimeoutMillis, TimeUnit.MILLISECONDS)
			.thenApply((confirm) -> {
				ReturnedMessage returned = correlation.getReturned();
				if (returned != null) {
					throw new AmqpMessageReturnedException("Message returned", returned);
				}
				if (!confirm.ack()) {
					throw new AmqpNackReceivedException("Negative acknowledgment received", copy);
				}
				return null;
			});
	}

	private Message copyWithReasons(Message message, @Nullable Throwable cause) {
		Message copy = MessageBuilder.fromMessage(message).build();
		MessageProperties properties = copy.getMessageProperties();
		if (properties.getDeliveryMode() == null) {
			properties.setDeliveryMode(getDeliveryMode());
		}
		Map<? extends String, ?> reasons = additionalHeaders(message, cause);
		if (reasons != null) {
			properties.getHeaders().putAll(reasons);
		}
		if (cause != null) {
			putStackTrace(copy, CredentialMasker.mask(getStackTraceAsString(cause)));
		}
		return copy;
	}

	/**
	 * Put the stack trace in its header, cut so that the whole header frame, measured in bytes
	 * as the client encodes it, stays {@link #DEFAULT_FRAME_MAX_HEADROOM} (at most a quarter of
	 * the frame) below the negotiated {@code frame_max}: the room left is for the template's
	 * correlation header and the delay levels' headers. Spring AMQP counts characters, which a
	 * multi-byte stack trace overruns.
	 */
	private void putStackTrace(Message copy, String stackTrace) {
		Map<String, @Nullable Object> headers = copy.getMessageProperties().getHeaders();
		headers.put(X_EXCEPTION_STACKTRACE, stackTrace);
		int frameMax = frameMax();
		int excess = headerFrameSize(copy) - (frameMax - Math.min(DEFAULT_FRAME_MAX_HEADROOM, frameMax / 4));
		if (excess > 0) {
			int keep = stackTrace.getBytes(StandardCharsets.UTF_8).length - excess - ELLIPSIS.length();
			if (keep > 0) {
				headers.put(X_EXCEPTION_STACKTRACE, utf8Prefix(stackTrace, keep) + ELLIPSIS);
			}
			else {
				headers.remove(X_EXCEPTION_STACKTRACE);
			}
		}
	}

	private int frameMax() {
		int frameMax = this.frameMax;
		if (frameMax == 0) {
			int negotiated = RabbitUtils.getMaxFrame(this.template.getConnectionFactory());
			frameMax = (negotiated > 0) ? negotiated : DEFAULT_FRAME_MAX;
			this.frameMax = frameMax;
		}
		return frameMax;
	}

	private static int headerFrameSize(Message message) {
		try {
			return PROPERTIES_CONVERTER.fromMessageProperties(message.getMessageProperties(), "UTF-8")
				.toFrame(0, message.getBody().length)
				.size();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not measure the headers of a copy", ex);
		}
	}

	/**
	 * Return the longest start of the text whose UTF-8 encoding fits the given bytes, never
	 * splitting a character.
	 */
	static String utf8Prefix(String text, int maxBytes) {
		int bytes = 0;
		int end = 0;
		while (end < text.length()) {
			int codePoint = text.codePointAt(end);
			int size = (codePoint < 0x80) ? 1 : (codePoint < 0x800) ? 2 : (codePoint < 0x10000) ? 3 : 4;
			if (bytes + size > maxBytes) {
				break;
			}
			bytes += size;
			end += Character.charCount(codePoint);
		}
		return text.substring(0, end);
	}

	@Override
	protected Map<? extends String, ?> additionalHeaders(Message message, @Nullable Throwable cause) {
		return reasonHeaders(message, cause, this.listenerId);
	}

	/**
	 * Return the reason headers Hare writes on a retry or dead-letter copy, all but the
	 * attempt, which the {@link RetryRouter} sets, and the stack trace.
	 * @param message the failed message as received
	 * @param cause what made it fail
	 * @param listenerId the listener, written in {@link HareHeaders#LISTENER}
	 * @return the headers, in the order Hare writes them
	 */
	public static Map<String, @Nullable Object> reasonHeaders(Message message, @Nullable Throwable cause,
			String listenerId) {
		MessageProperties properties = message.getMessageProperties();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		if (cause != null) {
			headers.put(HareHeaders.EXCEPTION, cause.getClass().getName());
			headers.put(HareHeaders.EXCEPTION_MESSAGE, truncate(String.valueOf(cause.getMessage())));
			// Spring AMQP's own header holds the message of the cause's cause, if any, as its recoverer writes it.
			Throwable reported = (cause.getCause() != null) ? cause.getCause() : cause;
			headers.put(X_EXCEPTION_MESSAGE, truncate(String.valueOf(reported.getMessage())));
		}
		headers.put(HareHeaders.FAILED_AT, Instant.now().toString());
		headers.put(HareHeaders.LISTENER, listenerId);
		// A retried message comes back through the default exchange: keep where it came from first.
		Object exchange = firstNonNull(properties.getHeader(HareHeaders.ORIGINAL_EXCHANGE),
				properties.getReceivedExchange());
		Object routingKey = firstNonNull(properties.getHeader(HareHeaders.ORIGINAL_ROUTING_KEY),
				properties.getReceivedRoutingKey());
		headers.put(HareHeaders.ORIGINAL_EXCHANGE, exchange);
		headers.put(HareHeaders.ORIGINAL_ROUTING_KEY, routingKey);
		headers.put(X_ORIGINAL_EXCHANGE, exchange);
		headers.put(X_ORIGINAL_ROUTING_KEY, routingKey);
		return headers;
	}

	private static @Nullable Object firstNonNull(@Nullable Object first, @Nullable Object second) {
		return (first != null) ? first : second;
	}

	private static String truncate(String message) {
		String masked = CredentialMasker.mask(message);
		return (masked.length() <= MAX_EXCEPTION_MESSAGE_LENGTH) ? masked
				: masked.substring(0, MAX_EXCEPTION_MESSAGE_LENGTH) + ELLIPSIS;
	}

}
