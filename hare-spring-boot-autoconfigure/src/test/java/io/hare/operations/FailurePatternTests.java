package io.hare.operations;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FailurePattern}: what of an exception message makes its group, and the ids of groups
 * and dead letters.
 */
class FailurePatternTests {

	@Test
	void leavesOutNumbersIdsAndQuotedValues() {
		assertThat(FailurePattern.of("invalid order 42")).isEqualTo("invalid order {n}");
		assertThat(FailurePattern.of("Read timed out after 3000ms on 10.0.4.17:5432"))
			.isEqualTo("Read timed out after {n}ms on {n}:{n}");
		assertThat(FailurePattern.of("No customer 'alice' for order 3f2b1c9e-8a4d-4e7f-9b1a-0c2d3e4f5a6b"))
			.isEqualTo("No customer '…' for order {id}");
		assertThat(FailurePattern.of("token \"x\" rejected, trace 0123456789abcdef01"))
			.isEqualTo("token \"…\" rejected, trace {id}");
		assertThat(FailurePattern.of("  two\n lines ")).isEqualTo("two lines");
		assertThat(FailurePattern.of(null)).isEmpty();
		assertThat(FailurePattern.of("x".repeat(500))).hasSize(301).endsWith("…");
	}

	@Test
	void givesDeadLettersThatFailedAlikeOneGroupId() {
		String first = FailurePattern.groupId(deadLetter(null, "IllegalStateException", "boom 1"));
		assertThat(FailurePattern.groupId(deadLetter(null, "IllegalStateException", "boom 2"))).isEqualTo(first)
			.hasSize(12);
		assertThat(FailurePattern.groupId(deadLetter(null, "IllegalArgumentException", "boom 1"))).isNotEqualTo(first);
		assertThat(FailurePattern.groupId(deadLetter(null, "IllegalStateException", "bang 1"))).isNotEqualTo(first);
	}

	@Test
	void identifiesADeadLetterByItsMessageIdOrElseByAHashOfIt() {
		assertThat(FailurePattern.messageId(deadLetter("m-1", "E", "x"))).isEqualTo("m-1");
		String hashed = FailurePattern.messageId(deadLetter(null, "E", "x"));
		assertThat(hashed).startsWith("sha256:").isEqualTo(FailurePattern.messageId(deadLetter(null, "E", "x")));
		assertThat(hashed).isNotEqualTo(FailurePattern.messageId(deadLetter(null, "F", "x")));
	}

	private static Message deadLetter(String messageId, String exception, String exceptionMessage) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setHeader(HareHeaders.EXCEPTION, exception);
		properties.setHeader(HareHeaders.EXCEPTION_MESSAGE, exceptionMessage);
		properties.setHeader(HareHeaders.FAILED_AT, "2025-01-01T00:00:00Z");
		return new Message("{}".getBytes(StandardCharsets.UTF_8), properties);
	}

}
