package io.hare.benchmarks;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application a Spring AMQP user writes by hand to publish orders: Spring Boot's
 * {@code RabbitTemplate} with Jackson's converter, correlated confirms and mandatory returns.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(RabbitAutoConfiguration.class)
class PlainPublishApplication {

	@Bean
	MessageConverter jacksonJsonMessageConverter() {
		return new JacksonJsonMessageConverter(new JsonMapper());
	}

}
