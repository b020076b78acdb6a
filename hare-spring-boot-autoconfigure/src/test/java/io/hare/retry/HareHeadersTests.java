package io.hare.retry;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareHeaders}.
 */
class HareHeadersTests {

	@ParameterizedTest
	@MethodSource("attemptHeaders")
	void readsTheFailedAttemptsAndCountsBadValuesAsZero(Object header, int expected) {
		MessageProperties properties = new MessageProperties();
		if (header != null) {
			properties.getHeaders().putAll(Map.of(HareHeaders.ATTEMPT, header));
		}
		assertThat(HareHeaders.failedAttempts(properties)).isEqualTo(expected);
	}

	static Stream<Arguments> attemptHeaders() {
		return Stream.of(Arguments.of(null, 0), Arguments.of(3, 3), Arguments.of(4L, 4),
				Arguments.of("5", 5), Arguments.of(" 6 ", 6), Arguments.of(-2, 0), Arguments.of("-2", 0),
				Arguments.of("abc", 0), Arguments.of("2.5", 0), Arguments.of(2.5d, 0), Arguments.of(true, 0),
				Arguments.of(Long.MAX_VALUE, Integer.MAX_VALUE - 1), Arguments.of("99999999999999999999", 0));
	}

}
