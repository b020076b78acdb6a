package io.hare.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;

/**
 * Tells what became of each message a listener received, one line per message, for the
 * failure messages of {@link HareTestHarness}.
 */
final class MessageHistory {

	private static final int MAX_BODY = 80;

	private static final int MAX_FAILURE = 160;

	private MessageHistory() {
	}

	/**
	 * Describe the messages, grouped by message id (by body without one), in order of first
	 * delivery.
	 * @param handled what the listener handled
	 * @return one line per message, or a line saying there was none
	 */
	static String describe(List<HandledMessage> handled) {
		if (handled.isEmpty()) {
			return "  it received no message";
		}
		Map<String, List<HandledMessage>> byMessage = new LinkedHashMap<>();
		handled.forEach((message) -> byMessage.computeIfAbsent(key(message), (key) -> new ArrayList<>()).add(message));
		StringBuilder description = new StringBuilder();
		byMessage.forEach((key, deliveries) -> {
			if (description.length() > 0) {
				description.append('\n');
			}
			long successes = deliveries.stream().filter((d) -> d.outcome() == HandlingOutcome.SUCCESS).count();
			description.append("  message ").append(key).append(": handled ").append(successes)
				.append((successes == 1) ? " time" : " times");
			deliveries.stream().filter((d) -> d.outcome() != HandlingOutcome.SUCCESS)
				.forEach((d) -> description.append("; ").append(describe(d)));
		});
		return description.toString();
	}

	/**
	 * Describe what became of one delivery.
	 * @param message the delivery
	 * @return such as {@code attempt 2 failed (java.lang.IllegalStateException: boom), retried after PT0.1S}
	 */
	static String describe(HandledMessage message) {
		String failed = "attempt " + message.attempt() + " failed (" + failure(message.failure()) + ")";
		return switch (message.outcome()) {
			case SUCCESS -> "attempt " + message.attempt() + " handled";
			case RETRIED_IMMEDIATELY -> failed + ", retried at once in place";
			case RETRIED -> failed + ", retried after " + message.retryDelay();
			case DEAD_LETTERED -> failed + ", dead-lettered";
			case DECODE_FAILED -> "attempt " + message.attempt() + " could not be decoded ("
					+ failure(message.failure()) + "), dead-lettered";
			case REQUEUED -> failed + ", its retry copy was not confirmed, so it was requeued";
			case SKIPPED -> failed + ", skipped (a stream cannot retry)";
		};
	}

	private static String key(HandledMessage message) {
		String id = message.message().getMessageProperties().getMessageId();
		String body = new String(message.message().getBody(), StandardCharsets.UTF_8);
		body = (body.length() <= MAX_BODY) ? body : body.substring(0, MAX_BODY) + "...";
		return (id != null) ? id + " " + body : body;
	}

	private static String failure(@Nullable Throwable failure) {
		if (failure == null) {
			return "no exception";
		}
		String text = failure.getClass().getName() + ": " + failure.getMessage();
		return (text.length() <= MAX_FAILURE) ? text : text.substring(0, MAX_FAILURE) + "...";
	}

}
