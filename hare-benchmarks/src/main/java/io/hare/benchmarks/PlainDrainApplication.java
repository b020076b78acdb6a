package io.hare.benchmarks;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application a Spring AMQP user writes by hand to consume the same orders: a
 * {@link RabbitListener} method, Jackson's converter, and Spring Boot's
 * {@code spring.rabbitmq.listener.simple.*} for prefetch, concurrency and ack mode. Only
 * Spring Boot's RabbitMQ auto-configuration runs, so Hare plays no part.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(RabbitAutoConfiguration.class)
class PlainDrainApplication {

	@Bean
	MessageConverter jacksonJsonMessageConverter() {
		return new JacksonJsonMessageConverter(new JsonMapper());
	}

	@Bean
	MessageProbe messageProbe() {
		return new MessageProbe();
	}

	@Bean
	OrderListener orderListener(MessageProbe probe) {
		return new OrderListener(probe);
	}

	static class OrderListener {

		private final MessageProbe probe;

		OrderListener(MessageProbe probe) {
			this.probe = probe;
		}

		@RabbitListener(id = "drain", queues = "${bench.queue}", autoStartup = "false")
		void onOrder(Order order) {
			this.probe.record(order);
		}

	}

}
