package io.hare.autoconfigure;

import org.jspecify.annotations.Nullable;

import io.hare.stream.HareStreamProtocol;
import io.hare.stream.StreamConnectionSettings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * RabbitMQ's stream protocol for stream listeners, when its client is on the classpath and
 * {@code hare.streams.enabled} is not false.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "com.rabbitmq.stream.Environment")
@ConditionalOnBooleanProperty(name = "hare.streams.enabled", matchIfMissing = true)
class HareStreamsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HareStreamProtocol hareStreamProtocol(HareProperties properties, ObjectProvider<RabbitProperties> rabbit) {
		return new HareStreamProtocol(settings(properties.getStreams(), rabbit.getIfAvailable(RabbitProperties::new)));
	}

	static StreamConnectionSettings settings(StreamsProperties streams, RabbitProperties rabbit) {
		return new StreamConnectionSettings(or(streams.getHost(), rabbit.determineHost(), "localhost"),
				streams.getPort(), or(streams.getUsername(), rabbit.determineUsername(), "guest"),
				or(streams.getPassword(), rabbit.determinePassword(), "guest"),
				or(streams.getVirtualHost(), rabbit.determineVirtualHost(), "/"));
	}

	// RabbitMQ's own defaults stand in for spring.rabbitmq's when it leaves a value unset.
	private static String or(@Nullable String value, @Nullable String rabbit, String fallback) {
		return (value != null) ? value : (rabbit != null) ? rabbit : fallback;
	}

}
