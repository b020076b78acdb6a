package io.hare.autoconfigure;

import org.junit.jupiter.api.Test;

import io.hare.listener.HareListenerContainerFactory;
import io.hare.stream.HareStreamProtocol;
import io.hare.stream.StreamConnectionSettings;

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

}
