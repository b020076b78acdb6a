package io.hare.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hare.listener.HareListenerContainerFactory;
import io.hare.stream.HareStreamProtocol;
import io.hare.stream.StreamConnectionSettings;
import io.hare.stream.StreamConnectionSettings.Node;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareStreamsConfiguration}: the stream protocol is on when its client is on
 * the classpath, off without it or when switched off, and logs in as spring.rabbitmq does
 * unless told otherwise.
 */
class HareStreamsConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1");

	@Test
	void offersTheStreamProtocolWhenItsClientIsOnTheClasspath() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(HareStreamProtocol.class)
			.hasSingleBean(HareListenerContainerFactory.class));
	}

	@Test
	void readsStreamsOverAmqpWithoutTheStreamClient() {
		this.runner.withClassLoader(new FilteredClassLoader("com.rabbitmq.stream"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(HareStreamProtocol.class)
				.hasSingleBean(HareListenerContainerFactory.class));
	}

	@Test
	void readsStreamsOverAmqpWhenSwitchedOff() {
		this.runner.withPropertyValues("hare.streams.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HareStreamProtocol.class));
	}

	@Test
	void logsInAsSpringRabbitmqUnlessToldOtherwise() {
		RabbitProperties rabbit = new RabbitProperties();
		rabbit.setHost("rabbit.example");
		rabbit.setUsername("app");
		rabbit.setPassword("s3cret");
		rabbit.setVirtualHost("orders");
		StreamsProperties streams = new StreamsProperties();
		assertThat(HareStreamsConfiguration.settings(streams, rabbit))
			.isEqualTo(new StreamConnectionSettings("rabbit.example", 5552, "app", "s3cret", "orders"));
		streams.setHost("streams.example");
		streams.setPort(5553);
		streams.setUsername("reader");
		streams.setPassword("other");
		streams.setVirtualHost("audit");
		assertThat(HareStreamsConfiguration.settings(streams, rabbit))
			.isEqualTo(new StreamConnectionSettings("streams.example", 5553, "reader", "other", "audit"));
	}

	@Test
	void neverShowsThePassword() {
		StreamsProperties streams = new StreamsProperties();
		streams.setPassword("s3cret");
		assertThat(streams.toString()).doesNotContain("s3cret").contains("****");
		StreamConnectionSettings settings = HareStreamsConfiguration.settings(streams, new RabbitProperties());
		assertThat(settings.toString()).doesNotContain("s3cret").contains("****");
	}

	@Test
	void readsSeveralAddressesWithTheStreamPortAsDefault() {
		StreamsProperties streams = new StreamsProperties();
		streams.setAddresses(List.of("rabbit-1:5553", "rabbit-2", "[::1]:5554"));
		assertThat(HareStreamsConfiguration.settings(streams, new RabbitProperties()).nodes()).containsExactly(
				new Node("rabbit-1", 5553), new Node("rabbit-2", 5552), new Node("::1", 5554));
	}

	@Test
	void givesTheStreamClientAddressesWithoutCredentials() {
		StreamsProperties streams = new StreamsProperties();
		streams.setAddresses(List.of("rabbit-1:5553", "[::1]:5554"));
		streams.setPassword("s3cret");
		StreamConnectionSettings settings = HareStreamsConfiguration.settings(streams, new RabbitProperties());
		assertThat(settings.uris()).containsExactly("rabbitmq-stream://rabbit-1:5553",
				"rabbitmq-stream://[::1]:5554");
		assertThat(settings.toString()).doesNotContain("s3cret").contains("rabbit-1:5553,[::1]:5554");
	}

	@Test
	void failsStartupOnAnAddressWithCredentialsWithoutShowingThem() {
		this.runner.withPropertyValues("hare.streams.addresses=127.0.0.1:5552,rabbitmq-stream://app:s3cret@rabbit-2:5552")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("hare.streams.addresses")
					.hasStackTraceContaining("set the credentials with hare.streams.username and password");
				assertThat(stackTrace(context.getStartupFailure())).doesNotContain("s3cret");
			});
		StreamsProperties streams = new StreamsProperties();
		streams.setAddresses(List.of("app:s3cret@rabbit-2:5552"));
		assertThat(streams.toString()).doesNotContain("s3cret");
	}

	@Test
	void failsStartupOnAnAddressWithoutAValidPort() {
		this.runner.withPropertyValues("hare.streams.addresses=rabbit-1:streams").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("hare.streams.addresses")
				.hasStackTraceContaining("host, host:port or [ipv6]:port");
		});
	}

	private static String stackTrace(Throwable failure) {
		StringWriter writer = new StringWriter();
		failure.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

}
