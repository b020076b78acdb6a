package io.hare.connection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Follows whether each of Hare's connections is open, and to which broker address, by
 * listening to its connection factory, so that reporting it never opens a connection.
 */
public class HareConnectionMonitor {

	private final Map<String, Status> statuses = new ConcurrentHashMap<>();

	public HareConnectionMonitor(HareConnections connections) {
		connections.asMap().values().forEach(this::monitor);
	}

	private void monitor(HareConnection connection) {
		Status status = new Status();
		this.statuses.put(connection.getName(), status);
		connection.getConnectionFactory().addConnectionListener(status);
	}

	/**
	 * Whether a connection is open now.
	 * @param connectionName the connection's name
	 * @return whether it is open
	 */
	public boolean isConnected(String connectionName) {
		Status status = this.statuses.get(connectionName);
		return status != null && status.connection != null && status.connection.isOpen();
	}

	/**
	 * Return the broker address the connection is or was last open to.
	 * @param connectionName the connection's name
	 * @return {@code host:port}, or {@code null} if it never opened
	 */
	public @Nullable String getAddress(String connectionName) {
		Status status = this.statuses.get(connectionName);
		return (status != null) ? status.address : null;
	}

	private static final class Status implements ConnectionListener {

		private volatile @Nullable Connection connection;

		private volatile @Nullable String address;

		@Override
		public void onCreate(@Nullable Connection connection) {
			this.connection = connection;
			if (connection != null) {
				com.rabbitmq.client.Connection delegate = connection.getDelegate();
				if (delegate != null) {
					this.address = delegate.getAddress().getHostAddress() + ":" + delegate.getPort();
				}
			}
		}

		@Override
		public void onClose(Connection connection) {
			this.connection = null;
		}

		@Override
		public void onShutDown(ShutdownSignalException signal) {
			this.connection = null;
		}

	}

}
