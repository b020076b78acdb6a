package io.hare.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;
import io.hare.test.RabbitBroker;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credentials never appear in logs or start-up failures, against the real broker.
 */
@ExtendWith(OutputCaptureExtension.class)
class HareSecretsIT {

	private static final String SECRET = "Tr0ub4dor-s3cret-42";

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("secrets");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class))
		.withPropertyValues("test.queue=" + this.queue)
		.withUserConfiguration(ListenerConfiguration.class);

	@Test
	void refusedPasswordAppearsNeitherInLogsNorInTheStartupFailure(CapturedOutput output) {
		RabbitBroker rabbit = this.broker.broker();
		this.runner
			.withPropertyValues("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + SECRET)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(stackTrace(context.getStartupFailure())).contains("ACCESS_REFUSED").doesNotContain(SECRET);
			});
		assertThat(output).doesNotContain(SECRET);
	}

	@Test
	void passwordInTheAddressesUriAppearsNeitherInLogsNorInExceptions(CapturedOutput output) {
		// Nothing listens on port 1: the container keeps failing to connect and logs it.
		this.runner.withPropertyValues("spring.rabbitmq.addresses=amqp://guest:" + SECRET + "@127.0.0.1:1/")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(20))
					.until(() -> output.getAll().contains("Connection refused"));
			});
		assertThat(output).doesNotContain(SECRET);
	}

	@Test
	void passwordInRabbitmqUrlAppearsNeitherInLogsNorInExceptions(CapturedOutput output) {
		// The usual way to hand a platform's RABBITMQ_URL to Spring Boot; Spring resolves the
		// placeholder from the environment, here from a property of the same name.
		this.runner
			.withPropertyValues("RABBITMQ_URL=amqp://guest:" + SECRET + "@127.0.0.1:1/",
					"spring.rabbitmq.addresses=${RABBITMQ_URL}")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(20)).until(() -> output.getAll().contains("Connection refused"));
			});
		assertThat(output).doesNotContain(SECRET);
	}

	private static String stackTrace(Throwable failure) {
		StringWriter writer = new StringWriter();
		failure.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		SecretListener secretListener() {
			return new SecretListener();
		}

	}

	static class SecretListener {

		@HareListener(queue = "${test.queue}")
		void onMessage(String message) {
		}

	}

}
