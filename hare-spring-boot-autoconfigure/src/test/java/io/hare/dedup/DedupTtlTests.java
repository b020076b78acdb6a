package io.hare.dedup;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link DedupTtl} parsing, as properties bind it.
 */
class DedupTtlTests {

	@Test
	void parsesDurationsAndInfinite() {
		assertThat(DedupTtl.valueOf("10m").toDuration()).isEqualTo(Duration.ofMinutes(10));
		assertThat(DedupTtl.valueOf("PT2S").toDuration()).isEqualTo(Duration.ofSeconds(2));
		assertThat(DedupTtl.valueOf(" Infinite ").isInfinite()).isTrue();
		assertThat(DedupTtl.valueOf("infinite")).isSameAs(DedupTtl.INFINITE);
	}

	@Test
	void rejectsNonPositiveAndUnknownValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> DedupTtl.valueOf("0s"));
		assertThatIllegalArgumentException().isThrownBy(() -> DedupTtl.valueOf("-1m"));
		assertThatIllegalArgumentException().isThrownBy(() -> DedupTtl.valueOf("forever")).withMessageContaining("infinite");
	}

}
