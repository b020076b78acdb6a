package io.hare.stream;

import java.time.Duration;
import java.util.function.Consumer;

import com.rabbitmq.stream.Environment;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.listener.StreamProtocol;
import io.hare.listener.StreamProtocolConsumer;
import io.hare.listener.StreamTracking;
import io.hare.publish.StreamPublishing;
import io.hare.support.CredentialMasker;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.Message;
import org.springframework.util.Assert;

/**
 * The stream protocol through RabbitMQ's stream client: one {@link Environment}, opened when
 * the first stream listener or stream publisher needs it, closed with the application. Created by Hare's auto-configuration; not for users.
 */
public class HareStreamProtocol implements StreamProtocol, StreamPublishing, AutoCloseable {

	private static final Log logger = LogFactory.getLog(HareStreamProtocol.class);

	private final StreamConnectionSettings settings;

	private @Nullable Environment environment;

	private @Nullable Boolean available;

	private @Nullable String unavailableReason;

	public HareStreamProtocol(StreamConnectionSettings settings) {
		Assert.notNull(settings, "'settings' must not be null");
		this.settings = settings;
	}

	@Override
	public synchronized boolean isAvailable() {
		if (this.available == null) {
			try {
				this.environment = Environment.builder()
					.uris(this.settings.uris())
					.username(this.settings.username())
					.password(this.settings.password())
					.virtualHost(this.settings.virtualHost())
					.rpcTimeout(Duration.ofSeconds(10))
					.build();
				this.available = true;
			}
			catch (RuntimeException ex) {
				// The listener factory logs it once; the stack trace is for whoever debugs the client.
				this.unavailableReason = CredentialMasker.mask(String.valueOf(rootCause(ex)));
				logger.debug("Hare cannot connect over the stream protocol to " + this.settings.describe(), ex);
				this.available = false;
			}
		}
		return this.available;
	}

	@Override
	public synchronized @Nullable String unavailableReason() {
		return this.unavailableReason;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Override
	public String describe() {
		return this.settings.describe();
	}

	@Override
	public StreamProtocolConsumer createConsumer(String listenerId, String stream, String consumerName,
			StreamOffset offset, StreamTracking tracking, Consumer<Message> handler) {
		Assert.state(isAvailable(), "the broker offers no stream protocol");
		return new StreamListenerConsumer(environment(), listenerId, stream, consumerName, offset, tracking, handler);
	}

	@Override
	public StreamPublishing.Producer createProducer(String publisherName, String stream,
			@Nullable String producerName, Duration confirmTimeout) {
		return new StreamProducer(this::environment, publisherName, stream, producerName, confirmTimeout);
	}

	/**
	 * Return the stream client's environment, connecting if need be.
	 * @return the environment
	 * @throws IllegalStateException if the broker offers no stream protocol
	 */
	public synchronized Environment environment() {
		Assert.state(isAvailable() && this.environment != null,
				() -> "the broker offers no stream protocol at " + this.settings.describe());
		return this.environment;
	}

	@Override
	public synchronized void close() {
		if (this.environment != null) {
			this.environment.close();
			this.environment = null;
		}
	}

}
