package io.hare.benchmarks;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring AMQP's own batch listener for the same orders: a {@link RabbitListener} method taking
 * a {@code List}, with Spring Boot's {@code spring.rabbitmq.listener.simple.consumer-batch-enabled}
 * and {@code batch-size}. Only Spring Boot's RabbitMQ auto-configuration runs.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(RabbitAutoConfiguration.class)
class PlainBatchDrainApplication {

	@Bean
	MessageConverter jacksonJsonMessageConverter() {
		return new JacksonJsonMessageConverter(new JsonMapper());
	}

	@Bean
	MessageProbe messageProbe() {
		return new MessageProbe();
	}

	@Bean
	OrdersListener ordersListener(MessageProbe probe) {
		return new OrdersListener(probe);
	}

	static class OrdersListener {

		private final MessageProbe probe;

		OrdersListener(MessageProbe probe) {
			this.probe = probe;
		}

		@RabbitListener(id = "drain", queues = "${bench.queue}", autoStartup = "false", batch = "true")
		void onOrders(List<Order> orders) {
			orders.forEach(this.probe::record);
		}

	}

}
