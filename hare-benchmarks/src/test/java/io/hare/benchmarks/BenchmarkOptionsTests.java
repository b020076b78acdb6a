package io.hare.benchmarks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchmarkOptionsTests {

	@Test
	void newScenariosAreSelectableAndSizedByTheirOptions() {
		BenchmarkOptions options = BenchmarkOptions.parse("--scenarios=listeners,delays,backlog",
				"--listener-counts=500,10,100", "--delay-messages=200", "--delay-max=5s",
				"--backlog-sizes=1_000_000,10000");
		assertThat(options.scenarios()).containsExactly("listeners", "delays", "backlog");
		assertThat(options.listenerCounts()).containsExactly(10, 100, 500);
		assertThat(options.delayMessages()).isEqualTo(200);
		assertThat(options.delayMin()).isEqualTo(Duration.ofSeconds(1));
		assertThat(options.delayMax()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.backlogSizes()).containsExactly(10_000, 1_000_000);
	}

	@Test
	void defaultsAreTheIssuesSizes() {
		BenchmarkOptions options = BenchmarkOptions.parse();
		assertThat(options.scenarios()).containsAll(List.of("listeners", "delays", "backlog"));
		assertThat(options.listenerCounts()).containsExactly(10, 100, 500);
		assertThat(options.delayMessages()).isEqualTo(100_000);
		assertThat(options.delayMax()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.backlogSizes()).containsExactly(10_000, 100_000, 1_000_000);
		assertThat(options.small()).isFalse();
	}

	@Test
	void countsMustBePositiveNumbers() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--backlog-sizes=0,10"))
			.withMessageContaining("--backlog-sizes");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--listener-counts=ten"))
			.withMessageContaining("--listener-counts");
	}

}
