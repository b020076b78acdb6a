package io.hare.connection;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Callback to adjust the connection factory of a named connection ({@code hare.connections.<name>})
 * after Hare configured it, for settings that have no property.
 */
@FunctionalInterface
public interface HareConnectionFactoryCustomizer {

	/**
	 * Customize the connection factory of a named connection.
	 * @param name the connection's name
	 * @param connectionFactory the connection factory, not yet connected
	 */
	void customize(String name, CachingConnectionFactory connectionFactory);

}
