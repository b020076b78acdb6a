package io.hare.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hare.stream.HareStreamProtocol;
import io.hare.stream.StreamConnectionSettings;
import io.hare.stream.StreamConnectionSettings.Node;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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

	private static final String ADDRESSES = "hare.streams.addresses";

	@Bean
	@ConditionalOnMissingBean
	HareStreamProtocol hareStreamProtocol(HareProperties properties, ObjectProvider<RabbitProperties> rabbit) {
		return new HareStreamProtocol(settings(properties.getStreams(), rabbit.getIfAvailable(RabbitProperties::new)));
	}

	static StreamConnectionSettings settings(StreamsProperties streams, RabbitProperties rabbit) {
		List<String> addresses = streams.getAddresses();
		List<Node> nodes = (addresses != null && !addresses.isEmpty())
				? addresses.stream().map((address) -> node(address, streams.getPort())).toList()
				: List.of(new Node(or(streams.getHost(), rabbit.determineHost(), "localhost"), streams.getPort()));
		return new StreamConnectionSettings(nodes, or(streams.getUsername(), rabbit.determineUsername(), "guest"),
				or(streams.getPassword(), rabbit.determinePassword(), "guest"),
				or(streams.getVirtualHost(), rabbit.determineVirtualHost(), "/"));
	}

	/**
	 * Read {@code host}, {@code host:port} or {@code [ipv6]:port}. A URI or user info is
	 * refused, and never repeated in the message: it may hold a password.
	 */
	static Node node(String address, int defaultPort) {
		String trimmed = address.trim();
		if (trimmed.contains("@") || trimmed.contains("/")) {
			throw new InvalidConfigurationPropertyValueException(ADDRESSES, StreamsProperties.withoutUserInfo(trimmed),
					"an address is host:port; set the credentials with hare.streams.username and password");
		}
		try {
			if (trimmed.startsWith("[")) {
				int end = trimmed.indexOf(']');
				String port = trimmed.substring(end + 1);
				return new Node(trimmed.substring(1, end),
						port.isEmpty() ? defaultPort : Integer.parseInt(port.substring(1)));
			}
			int colon = trimmed.indexOf(':');
			return (colon < 0) ? new Node(trimmed, defaultPort)
					: new Node(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(ADDRESSES, trimmed,
					"an address is host, host:port or [ipv6]:port, with a port between 1 and 65535");
		}
	}

	// RabbitMQ's own defaults stand in for spring.rabbitmq's when it leaves a value unset.
	private static String or(@Nullable String value, @Nullable String rabbit, String fallback) {
		return (value != null) ? value : (rabbit != null) ? rabbit : fallback;
	}

}
