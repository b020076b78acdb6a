package io.hare.operations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Groups dead letters and gives each its id: an exception message becomes a pattern by leaving
 * out what differs from one message to the next.
 */
final class FailurePattern {

	private static final int MAX_PATTERN_CHARS = 300;

	private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

	private static final Pattern UUID_OR_HEX = Pattern.compile(
			"\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b|\\b(0x)?[0-9a-fA-F]{16,}\\b");

	private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");

	private static final Pattern SPACES = Pattern.compile("\\s+");

	private FailurePattern() {
	}

	/**
	 * Return the pattern of an exception message.
	 * @param message the exception message
	 * @return the pattern, empty for none
	 */
	static String of(@Nullable String message) {
		if (!StringUtils.hasText(message)) {
			return "";
		}
		String pattern = QUOTED.matcher(message).replaceAll((match) -> match.group().charAt(0) + "…"
				+ match.group().charAt(0));
		pattern = UUID_OR_HEX.matcher(pattern).replaceAll("{id}");
		pattern = NUMBER.matcher(pattern).replaceAll("{n}");
		pattern = SPACES.matcher(pattern).replaceAll(" ").trim();
		return (pattern.length() <= MAX_PATTERN_CHARS) ? pattern : pattern.substring(0, MAX_PATTERN_CHARS) + "…";
	}

	static @Nullable String exception(Message deadLetter) {
		Object exception = deadLetter.getMessageProperties().getHeaders().get(HareHeaders.EXCEPTION);
		return (exception != null) ? exception.toString() : null;
	}

	static String pattern(Message deadLetter) {
		Object message = deadLetter.getMessageProperties().getHeaders().get(HareHeaders.EXCEPTION_MESSAGE);
		return of((message != null) ? message.toString() : null);
	}

	/**
	 * Return the id of the group a dead letter belongs to: a hash of its exception class and
	 * pattern, short enough for a URL and stable across reads.
	 * @param deadLetter the dead letter
	 * @return the group id
	 */
	static String groupId(Message deadLetter) {
		return groupId(exception(deadLetter), pattern(deadLetter));
	}

	static String groupId(@Nullable String exception, String pattern) {
		return hash(((exception != null) ? exception : "") + '\n' + pattern).substring(0, 12);
	}

	/**
	 * Return the id an operator acts on a dead letter by: its message id, or, for a message
	 * without one, a hash of its failure time, headers and body.
	 * @param deadLetter the dead letter
	 * @return the id
	 */
	static String messageId(Message deadLetter) {
		MessageProperties properties = deadLetter.getMessageProperties();
		if (StringUtils.hasText(properties.getMessageId())) {
			return properties.getMessageId();
		}
		Map<String, @Nullable Object> headers = properties.getHeaders();
		return "sha256:" + hash(headers.get(HareHeaders.FAILED_AT) + "\n" + headers.get(HareHeaders.EXCEPTION)
				+ "\n" + new String(deadLetter.getBody(), StandardCharsets.UTF_8)).substring(0, 16);
	}

	/**
	 * Choose the dead letter of the given {@link #messageId(Message) id}.
	 * @param id the id
	 * @return a selector of that dead letter
	 */
	static Predicate<Message> withId(String id) {
		Assert.hasText(id, "'id' must not be empty");
		return (deadLetter) -> id.equals(messageId(deadLetter));
	}

	/**
	 * Choose the dead letters of the given {@link #groupId(Message) group}.
	 * @param groupId the group's id
	 * @return a selector of its dead letters
	 */
	static Predicate<Message> inGroup(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		return (deadLetter) -> groupId.equals(groupId(deadLetter));
	}

	/**
	 * Group dead letters by exception class and message pattern.
	 * @param deadLetters the dead letters
	 * @return the groups, largest first
	 */
	static List<DeadLetterGroup> group(List<Message> deadLetters) {
		Map<String, GroupCounter> groups = new LinkedHashMap<>();
		for (Message deadLetter : deadLetters) {
			String exception = exception(deadLetter);
			String pattern = pattern(deadLetter);
			groups.computeIfAbsent(groupId(exception, pattern), (id) -> new GroupCounter(id, exception, pattern))
				.add(deadLetter);
		}
		return groups.values()
			.stream()
			.map(GroupCounter::group)
			.sorted(Comparator.comparingInt(DeadLetterGroup::count).reversed())
			.toList();
	}

	private static String hash(String text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * Counts one group and its failure times as dead letters are read.
	 */
	private static final class GroupCounter {

		private final String id;

		private final @Nullable String exception;

		private final String pattern;

		private int count;

		private @Nullable String first;

		private @Nullable String last;

		GroupCounter(String id, @Nullable String exception, String pattern) {
			this.id = id;
			this.exception = exception;
			this.pattern = pattern;
		}

		void add(Message message) {
			this.count++;
			Object failedAt = message.getMessageProperties().getHeaders().get(HareHeaders.FAILED_AT);
			if (failedAt != null) {
				// ISO-8601 instants in UTC, as Hare writes them, sort as text.
				String at = failedAt.toString();
				this.first = (this.first == null || at.compareTo(this.first) < 0) ? at : this.first;
				this.last = (this.last == null || at.compareTo(this.last) > 0) ? at : this.last;
			}
		}

		DeadLetterGroup group() {
			return new DeadLetterGroup(this.id, this.exception, this.pattern, this.count, this.first, this.last);
		}

	}

}
