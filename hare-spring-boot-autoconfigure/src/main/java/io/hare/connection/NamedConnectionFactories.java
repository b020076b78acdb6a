package io.hare.connection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * The connection factories of Hare's named connections ({@code hare.connections.<name>}), held
 * here rather than as beans so that Spring Boot's own connection factory stays the single
 * {@link ConnectionFactory} bean. Destroying this closes them.
 */
public class NamedConnectionFactories implements DisposableBean {

	private final Map<String, ConnectionFactory> connectionFactories;

	/**
	 * Create the holder.
	 * @param connectionFactories the connection factories by name, none named
	 * {@value HareConnection#DEFAULT}
	 */
	public NamedConnectionFactories(Map<String, ? extends ConnectionFactory> connectionFactories) {
		Assert.notNull(connectionFactories, "'connectionFactories' must not be null");
		Assert.isTrue(!connectionFactories.containsKey(HareConnection.DEFAULT),
				() -> "A named connection must not be called '" + HareConnection.DEFAULT + "'");
		this.connectionFactories = Collections.unmodifiableMap(new LinkedHashMap<>(connectionFactories));
	}

	public Map<String, ConnectionFactory> asMap() {
		return this.connectionFactories;
	}

	@Override
	public void destroy() {
		this.connectionFactories.values().forEach((connectionFactory) -> {
			if (connectionFactory instanceof CachingConnectionFactory caching) {
				caching.destroy();
			}
		});
	}

}
