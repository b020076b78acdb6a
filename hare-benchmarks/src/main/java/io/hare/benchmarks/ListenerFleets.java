package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.hare.listener.HareListenerRegistry;
import io.hare.listener.ListenerProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.annotation.RabbitListenerConfigurer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistrar;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applications with many idle listeners, {@code bench.listeners} of them on queues named
 * {@code bench.prefix} and a number: Hare's registered through {@link HareListenerRegistry},
 * as {@code @HareListener} methods are; plain ones as {@code @RabbitListener} endpoints with
 * their queues declared as beans, as a Spring AMQP user does.
 */
final class ListenerFleets {

	private ListenerFleets() {
	}

	static String queue(String prefix, int index) {
		return prefix + "-" + index;
	}

	/**
	 * Hare listeners, each with Hare's defaults and its own queue.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Hare {

		@Bean
		SmartInitializingSingleton hareListeners(HareListenerRegistry registry, @Value("${bench.listeners}") int count,
				@Value("${bench.prefix}") String prefix) {
			// Registered before the registry starts, so they start with the context, as annotated ones do.
			return () -> {
				for (int i = 0; i < count; i++) {
					ListenerProperties properties = new ListenerProperties();
					properties.getQueue().setName(queue(prefix, i));
					registry.register("fleet-" + i, properties, Order.class, (order) -> {
					});
				}
			};
		}

		@Bean
		RoundTrips roundTrips() {
			return new RoundTrips();
		}

	}

	/**
	 * Plain {@code @RabbitListener} endpoints with Boot's container factory and Jackson's
	 * converter, and a durable queue bean each.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RabbitAutoConfiguration.class)
	static class Plain implements RabbitListenerConfigurer {

		private final int count;

		private final String prefix;

		Plain(@Value("${bench.listeners}") int count, @Value("${bench.prefix}") String prefix) {
			this.count = count;
			this.prefix = prefix;
		}

		@Bean
		RoundTrips roundTrips() {
			return new RoundTrips();
		}

		@Bean
		MessageConverter jacksonJsonMessageConverter() {
			return new JacksonJsonMessageConverter(new JsonMapper());
		}

		@Bean
		Declarables fleetQueues() {
			List<Queue> queues = new ArrayList<>();
			for (int i = 0; i < this.count; i++) {
				queues.add(QueueBuilder.durable(queue(this.prefix, i)).build());
			}
			return new Declarables(queues);
		}

		@Override
		public void configureRabbitListeners(RabbitListenerEndpointRegistrar registrar) {
			for (int i = 0; i < this.count; i++) {
				SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
				endpoint.setId("fleet-" + i);
				endpoint.setQueueNames(queue(this.prefix, i));
				endpoint.setMessageListener((message) -> {
				});
				registrar.registerEndpoint(endpoint);
			}
		}

	}

}
