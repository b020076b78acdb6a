package io.hare.testing;

import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The harness and the clean-up are configured with Hare, a user's harness wins, and
 * {@code hare.test.cleanup=false} turns the clean-up off.
 */
class HareTestAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareTestAutoConfiguration.class));

	@Test
	void configuresTheHarnessTheRecorderAndTheCleanup() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(HareTestHarness.class)
			.hasSingleBean(HareTestRecorder.class)
			.hasSingleBean(HareTestCleanup.class));
	}

	@Test
	void cleanupCanBeTurnedOff() {
		this.runner.withPropertyValues("hare.test.cleanup=false")
			.run((context) -> assertThat(context).hasSingleBean(HareTestHarness.class)
				.doesNotHaveBean(HareTestCleanup.class));
	}

	@Test
	void aUsersHarnessWins() {
		this.runner.withUserConfiguration(UserHarness.class)
			.run((context) -> assertThat(context).getBean(HareTestHarness.class)
				.isSameAs(context.getBean(UserHarness.class).harness));
	}

	@Test
	void backsOffWithoutHare() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HareTestAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HareTestHarness.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHarness {

		final HareTestHarness harness = mock(HareTestHarness.class);

		@Bean
		HareTestHarness harness() {
			return this.harness;
		}

	}

}
