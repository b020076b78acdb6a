package io.hare.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StreamOffset}: what each written offset becomes on the wire.
 */
class StreamOffsetTests {

	@Test
	void namesAreCaseInsensitiveStrings() {
		assertThat(StreamOffset.parse("First")).isEqualTo(StreamOffset.FIRST);
		assertThat(StreamOffset.parse(" last ").argument()).isEqualTo("last");
		assertThat(StreamOffset.parse("NEXT").argument()).isEqualTo("next");
	}

	@Test
	void aWholeNumberIsALongOffset() {
		StreamOffset offset = StreamOffset.parse("42");
		assertThat(offset.kind()).isEqualTo(StreamOffset.Kind.OFFSET);
		assertThat(offset.argument()).isEqualTo(42L);
	}

	@Test
	void anIsoTimestampIsADateWhichTheClientSendsAsAnAmqpTimestamp() {
		StreamOffset offset = StreamOffset.parse("2024-05-01T10:00:00+02:00");
		assertThat(offset.kind()).isEqualTo(StreamOffset.Kind.TIMESTAMP);
		assertThat(offset.argument()).isEqualTo(Date.from(Instant.parse("2024-05-01T08:00:00Z")));
	}

	@Test
	void aDurationIsAnIntervalInSecondsTheBrokerMeasures() {
		assertThat(StreamOffset.parse("PT1H").argument()).isEqualTo("3600s");
		assertThat(StreamOffset.parse("90m").argument()).isEqualTo("5400s");
		assertThat(StreamOffset.parse("PT1H")).isEqualTo(StreamOffset.ago(Duration.ofHours(1)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "yesterday", "-3", "2024-05-01", "2024-13-01T00:00:00Z", "500ms", "PT0S",
			"99999999999999999999" })
	void refusesWhatTheBrokerWouldNotRead(String text) {
		// The broker closes the whole connection on an x-stream-offset it cannot read.
		assertThatIllegalArgumentException().isThrownBy(() -> StreamOffset.parse(text));
	}

}
