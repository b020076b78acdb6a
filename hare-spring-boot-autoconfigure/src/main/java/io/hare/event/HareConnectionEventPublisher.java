package io.hare.event;

import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Listens to the connection factory of each of Hare's connections and publishes
 * {@link HareConnectionConnectedEvent}, {@link HareConnectionLostEvent} and
 * {@link HareConnectionFailedEvent}.
 */
public class HareConnectionEventPublisher {

	private final ApplicationEventPublisher eventPublisher;

	public HareConnectionEventPublisher(HareConnections connections, ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
		connections.asMap().values().forEach(this::listen);
	}

	private void listen(HareConnection connection) {
		connection.getConnectionFactory().addConnectionListener(new Listener(connection));
	}

	private final class Listener implements ConnectionListener {

		private final HareConnection connection;

		Listener(HareConnection connection) {
			this.connection = connection;
		}

		@Override
		public void onCreate(@Nullable Connection created) {
			String address = "unknown";
			if (created != null && created.getDelegate() != null) {
				com.rabbitmq.client.Connection delegate = created.getDelegate();
				address = delegate.getAddress().getHostAddress() + ":" + delegate.getPort();
			}
			publish(new HareConnectionConnectedEvent(source(), this.connection.getName(), address));
		}

		@Override
		public void onShutDown(ShutdownSignalException signal) {
			// A close the application asked for, as at shutdown, is no loss.
			if (!signal.isInitiatedByApplication()) {
				publish(new HareConnectionLostEvent(source(), this.connection.getName(),
						String.valueOf(signal.getMessage())));
			}
		}

		@Override
		public void onFailed(Exception exception) {
			publish(new HareConnectionFailedEvent(source(), this.connection.getName(), exception));
		}

		private Object source() {
			return this.connection.getConnectionFactory();
		}

		private void publish(HareEvent event) {
			HareConnectionEventPublisher.this.eventPublisher.publishEvent(event);
		}

	}

}
