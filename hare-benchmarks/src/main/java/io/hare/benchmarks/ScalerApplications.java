package io.hare.benchmarks;

import tools.jackson.databind.json.JsonMapper;

import io.hare.listener.HareListener;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The applications of the auto-scaler scenario: a slow handler behind Hare's listener, or
 * behind a plain {@code @RabbitListener} with Spring AMQP's own consumer scaling.
 */
final class ScalerApplications {

	private ScalerApplications() {
	}

	/**
	 * A Hare listener whose concurrency, and scaling where the build has it, come from
	 * {@code hare.listeners.scaler.*}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class HareScalerApplication {

		@Bean
		SlowHandlerProbe slowHandlerProbe() {
			return new SlowHandlerProbe();
		}

		@Bean
		HareSlowListener hareSlowListener(SlowHandlerProbe probe) {
			return new HareSlowListener(probe);
		}

	}

	static class HareSlowListener {

		private final SlowHandlerProbe probe;

		HareSlowListener(SlowHandlerProbe probe) {
			this.probe = probe;
		}

		@HareListener(id = "scaler", queue = "${bench.queue}")
		void onOrder(Order order) {
			this.probe.handle(order);
		}

	}

	/**
	 * A plain listener container that adds consumers by itself between
	 * {@code spring.rabbitmq.listener.simple.concurrency} and {@code max-concurrency}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RabbitAutoConfiguration.class)
	static class PlainScalerApplication {

		@Bean
		MessageConverter jacksonJsonMessageConverter() {
			return new JacksonJsonMessageConverter(new JsonMapper());
		}

		@Bean
		SlowHandlerProbe slowHandlerProbe() {
			return new SlowHandlerProbe();
		}

		@Bean
		PlainSlowListener plainSlowListener(SlowHandlerProbe probe) {
			return new PlainSlowListener(probe);
		}

	}

	static class PlainSlowListener {

		private final SlowHandlerProbe probe;

		PlainSlowListener(SlowHandlerProbe probe) {
			this.probe = probe;
		}

		@RabbitListener(id = "scaler", queues = "${bench.queue}", autoStartup = "false")
		void onOrder(Order order) {
			this.probe.handle(order);
		}

	}

}
