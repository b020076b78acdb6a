package io.hare.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.actuate.HareEndpoint.ConnectionDescriptor;
import io.hare.connection.HareConnection;
import io.hare.connection.HareConnectionMonitor;
import io.hare.connection.HareConnections;
import io.hare.support.CredentialMasker;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Describes Hare's connections for the {@link HareEndpoint}, without their passwords and
 * without opening them.
 */
final class ConnectionDescriber {

	private final HareConnections connections;

	private final HareConnectionMonitor monitor;

	ConnectionDescriber(HareConnections connections, HareConnectionMonitor monitor) {
		this.connections = connections;
		this.monitor = monitor;
	}

	Map<String, ConnectionDescriptor> describeAll() {
		Map<String, ConnectionDescriptor> described = new LinkedHashMap<>();
		this.connections.asMap().forEach((name, connection) -> described.put(name, describe(connection)));
		return described;
	}

	private ConnectionDescriptor describe(HareConnection connection) {
		ConnectionFactory factory = connection.getConnectionFactory();
		return new ConnectionDescriptor(mask(factory.getHost()), factory.getPort(), factory.getVirtualHost(),
				mask(factory.getUsername()), this.monitor.isConnected(connection.getName()),
				this.monitor.getAddress(connection.getName()));
	}

	private static String mask(@Nullable String text) {
		String masked = CredentialMasker.mask(text);
		return (masked != null) ? masked : "";
	}

}
