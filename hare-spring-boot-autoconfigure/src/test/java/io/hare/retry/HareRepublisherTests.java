package io.hare.retry;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HareRepublisher}'s cut of a stack trace to a number of UTF-8 bytes.
 */
class HareRepublisherTests {

	@ParameterizedTest
	@CsvSource({ "abc, 2, ab", "abc, 3, abc", "abc, 10, abc", "a€b, 3, a", "a€b, 4, a€", "a€b, 5, a€b",
			"a\uD83D\uDE00b, 4, a", "a\uD83D\uDE00b, 5, a\uD83D\uDE00", "€, 0, ''" })
	void cutsToTheBytesWithoutSplittingACharacter(String text, int maxBytes, String expected) {
		String prefix = HareRepublisher.utf8Prefix(text, maxBytes);
		assertThat(prefix).isEqualTo(expected);
		assertThat(prefix.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
	}

}
