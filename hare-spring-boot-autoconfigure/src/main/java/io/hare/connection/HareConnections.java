package io.hare.connection;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * The connections Hare knows, by name; {@value HareConnection#DEFAULT} is Spring Boot's.
 */
public class HareConnections implements DisposableBean {

	private final Map<String, HareConnection> connections = new LinkedHashMap<>();

	/**
	 * Create the registry.
	 * @param connections the connections, one of them named {@value HareConnection#DEFAULT}
	 */
	public HareConnections(Collection<HareConnection> connections) {
		for (HareConnection connection : connections) {
			HareConnection previous = this.connections.putIfAbsent(connection.getName(), connection);
			Assert.state(previous == null, () -> "Two Hare connections are named '" + connection.getName() + "'");
		}
	}

	/**
	 * Return the connection of the given name.
	 * @param name the name, or {@code null} or empty for the default
	 * @return the connection
	 * @throws IllegalArgumentException if no connection has that name
	 */
	public HareConnection get(@Nullable String name) {
		String key = (name == null || name.isEmpty()) ? HareConnection.DEFAULT : name;
		HareConnection connection = this.connections.get(key);
		if (connection == null) {
			throw new IllegalArgumentException("No Hare connection is named '" + key + "'; known: "
					+ this.connections.keySet() + " (configure it under hare.connections." + key + ")");
		}
		return connection;
	}

	public Map<String, HareConnection> asMap() {
		return Collections.unmodifiableMap(this.connections);
	}

	@Override
	public void destroy() {
		this.connections.values().forEach((connection) -> connection.getTemplate().destroy());
	}

}
