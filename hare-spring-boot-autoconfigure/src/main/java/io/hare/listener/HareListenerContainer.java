package io.hare.listener;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.scaling.QueueDepthAutoScaler;
import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;
import io.hare.topology.StreamOffset;
import io.hare.topology.TopologyDeclarer;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.util.Assert;

/**
 * One running listener: its settings, its topology and the Spring AMQP container that
 * consumes its queue.
 */
public class HareListenerContainer {

	private static final Log logger = LogFactory.getLog(HareListenerContainer.class);

	private final HareListenerEndpoint endpoint;

	private final ListenerTopology topology;

	private final TopologyDeclarer declarer;

	private final SimpleMessageListenerContainer container;

	private final @Nullable QueueDepthAutoScaler autoScaler;

	private final List<HareListenerObserver> observers;

	private volatile int consumers;

	private volatile boolean paused;

	private volatile boolean tripped;

	private @Nullable ListenerCircuitBreaker circuitBreaker;

	// Reads a stream over the stream protocol in place of the container, which then stays idle.
	private @Nullable StreamProtocolConsumer streamConsumer;

	HareListenerContainer(HareListenerEndpoint endpoint, ListenerTopology topology, TopologyDeclarer declarer,
			SimpleMessageListenerContainer container, int consumers, @Nullable QueueDepthAutoScaler autoScaler,
			List<HareListenerObserver> observers) {
		this.endpoint = endpoint;
		this.topology = topology;
		this.declarer = declarer;
		this.container = container;
		this.consumers = consumers;
		this.autoScaler = autoScaler;
		this.observers = List.copyOf(observers);
	}

	public String getId() {
		return this.endpoint.id();
	}

	public ListenerSettings getSettings() {
		return this.endpoint.settings();
	}

	public ListenerTopology getTopology() {
		return this.topology;
	}

	/**
	 * Return the Spring AMQP container, for inspection.
	 * @return the container
	 */
	public SimpleMessageListenerContainer getContainer() {
		return this.container;
	}

	public boolean isRunning() {
		return (this.streamConsumer != null) ? this.streamConsumer.isRunning() : this.container.isRunning();
	}

	void setStreamConsumer(@Nullable StreamProtocolConsumer streamConsumer) {
		this.streamConsumer = streamConsumer;
	}

	/**
	 * Return how the listener reads its queue.
	 * @return {@code stream} for a stream read over the stream protocol, else {@code amqp}
	 */
	public String getProtocol() {
		return (this.streamConsumer != null) ? "stream" : "amqp";
	}

	/**
	 * Return the offset this stream listener stored on the broker.
	 * @return the stored offset, or empty if none is stored or the listener does not read
	 * over the stream protocol
	 */
	public Optional<Long> getStoredStreamOffset() {
		return Optional.ofNullable(this.streamConsumer).map(StreamProtocolConsumer::getStoredOffset);
	}

	/**
	 * Return the name the broker stores this stream listener's offset under.
	 * @return the consumer name, or empty if the listener does not read over the stream
	 * protocol
	 */
	public Optional<String> getStreamConsumerName() {
		return Optional.ofNullable(this.streamConsumer).map(StreamProtocolConsumer::getName);
	}

	/**
	 * Make this stream listener read from the given offset on, whatever offset it stored.
	 * @param offset where to read from, such as {@link StreamOffset#FIRST}
	 * @throws IllegalStateException if the listener does not read a stream over the stream
	 * protocol, which alone stores offsets
	 */
	synchronized void resetStreamOffset(StreamOffset offset) {
		StreamProtocolConsumer consumer = this.streamConsumer;
		Assert.state(consumer != null, () -> "Hare listener '" + getId() + "' does not read a stream over the "
				+ "stream protocol, so it stores no offset to reset");
		consumer.resetOffset(offset);
		logger.info("Hare listener '" + getId() + "' reads stream '" + this.topology.queue() + "' from " + offset
				+ " on");
	}

	/**
	 * Declare the topology and start consuming. A broker that cannot be reached is not fatal:
	 * the container keeps trying and the topology is declared when the connection opens. A
	 * broker that refuses the topology is.
	 * @throws io.hare.topology.HareDeclarationException if the broker refuses a declaration
	 */
	void start() {
		declare();
		consume();
	}

	/**
	 * Declare the topology; a broker that cannot be reached is not fatal, as for
	 * {@link #start()}.
	 * @throws io.hare.topology.HareDeclarationException if the broker refuses a declaration
	 */
	void declare() {
		try {
			this.declarer.declare(getId(), this.topology);
		}
		catch (AmqpConnectException ex) {
			logger.warn("Hare listener '" + getId() + "' cannot reach the broker yet; queue '"
					+ this.topology.queue() + "' will be declared when it connects: " + ex.getMessage());
		}
	}

	/**
	 * Start consuming a topology {@link #declare() declared} before.
	 */
	void consume() {
		startConsuming();
		logger.info("Hare listener '" + getId() + "' (" + this.endpoint.handlerDescription() + ") consumes queue '"
				+ this.topology.queue() + "' with " + getDesiredConsumers() + " consumer(s)"
				+ ((this.streamConsumer != null) ? " over the stream protocol as '" + this.streamConsumer.getName() + "'"
						: "")
				+ ((this.autoScaler != null) ? ", auto-scaled between " + this.autoScaler.getMinConsumers() + " and "
						+ this.autoScaler.getMaxConsumers() : ""));
	}

	void stop(Runnable callback) {
		if (this.autoScaler != null) {
			this.autoScaler.stop();
		}
		if (this.streamConsumer != null) {
			this.streamConsumer.stop();
			callback.run();
			return;
		}
		this.container.stop(callback);
	}

	void destroy() {
		if (this.autoScaler != null) {
			this.autoScaler.stop();
		}
		if (this.streamConsumer != null) {
			this.streamConsumer.stop();
		}
		this.container.destroy();
		this.observers.forEach((observer) -> observer.listenerDestroyed(this));
	}

	/**
	 * Return the handler, as {@code Class.method} or a description, for messages.
	 * @return the handler description
	 */
	public String getHandlerDescription() {
		return this.endpoint.handlerDescription();
	}

	/**
	 * Return the number of consumers asked for: by the auto-scaler if there is one, else as
	 * configured or last set through the registry.
	 * @return the desired consumers
	 */
	public int getDesiredConsumers() {
		return (this.autoScaler != null) ? this.autoScaler.getDesiredConsumers() : this.consumers;
	}

	/**
	 * Return the number of consumers running now; zero while paused or stopped.
	 * @return the actual consumers
	 */
	public int getActualConsumers() {
		if (this.streamConsumer != null) {
			return this.streamConsumer.isRunning() ? 1 : 0;
		}
		return this.container.getActiveConsumerCount();
	}

	/**
	 * Return the auto-scaler that sets this listener's consumers, if it has one.
	 * @return the auto-scaler
	 */
	public Optional<QueueDepthAutoScaler> getAutoScaler() {
		return Optional.ofNullable(this.autoScaler);
	}

	/**
	 * Whether this listener was paused through the registry; it stays stopped until resumed,
	 * even when the application context starts its listeners.
	 * @return whether the listener is paused
	 */
	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * Set the number of consumers; consumers that are stopped finish the messages they hold.
	 * @param consumers the number of consumers
	 * @return the number before
	 */
	synchronized int setConsumers(int consumers) {
		if (consumers < 1) {
			throw new IllegalArgumentException(
					"Hare listener '" + getId() + "' needs at least 1 consumer, not " + consumers);
		}
		if (this.topology.queueType() == QueueType.STREAM && consumers != 1) {
			throw new IllegalStateException("Hare listener '" + getId() + "' reads a stream, where every consumer "
					+ "reads every message; it runs 1 consumer");
		}
		if (this.autoScaler != null) {
			throw new IllegalStateException("Hare listener '" + getId() + "' is auto-scaled between "
					+ this.autoScaler.getMinConsumers() + " and " + this.autoScaler.getMaxConsumers()
					+ " consumers; change hare.listeners." + getId() + ".auto-scaling instead of its count");
		}
		int previous = this.consumers;
		this.container.setConcurrentConsumers(consumers);
		this.consumers = consumers;
		return previous;
	}

	/**
	 * Return the state of the listener's circuit breaker.
	 * @return {@code closed}, {@code open} or {@code half_open}, or empty without a breaker
	 */
	public Optional<String> getCircuitBreakerState() {
		return Optional.ofNullable(this.circuitBreaker).map(ListenerCircuitBreaker::state);
	}

	/**
	 * Whether the circuit breaker stopped the listener, which then consumes nothing until its
	 * trial.
	 * @return whether the breaker holds the listener stopped
	 */
	public boolean isTripped() {
		return this.tripped;
	}

	/**
	 * Close the listener's circuit breaker, so that it consumes again at once.
	 * @throws IllegalStateException if the listener has no circuit breaker
	 */
	public void resetCircuitBreaker() {
		Assert.state(this.circuitBreaker != null, () -> "Hare listener '" + getId() + "' has no circuit breaker");
		this.circuitBreaker.reset();
	}

	void setCircuitBreaker(@Nullable ListenerCircuitBreaker circuitBreaker) {
		this.circuitBreaker = circuitBreaker;
		if (circuitBreaker != null) {
			circuitBreaker.attach(this);
		}
	}

	/**
	 * Stop consuming because the circuit breaker opened.
	 */
	synchronized void trip() {
		this.tripped = true;
		stopConsuming();
	}

	/**
	 * Consume again after {@link #trip()}, unless paused by hand meanwhile.
	 */
	synchronized void untrip() {
		if (!this.tripped) {
			return;
		}
		this.tripped = false;
		if (this.paused) {
			return;
		}
		startConsuming();
	}

	private void startConsuming() {
		if (this.streamConsumer != null) {
			this.streamConsumer.start();
			return;
		}
		this.container.start();
		if (this.autoScaler != null) {
			this.autoScaler.start();
		}
	}

	private void stopConsuming() {
		if (this.autoScaler != null) {
			this.autoScaler.stop();
		}
		if (this.streamConsumer != null) {
			this.streamConsumer.stop();
			return;
		}
		this.container.stop();
	}

	/**
	 * Stop consuming, letting in-flight messages finish; the queue keeps the rest.
	 */
	synchronized void pause() {
		this.paused = true;
		stopConsuming();
		logger.info("Hare listener '" + getId() + "' paused; queue '" + this.topology.queue() + "' keeps its messages");
	}

	/**
	 * Start consuming again after {@link #pause()}.
	 * @param start whether to start now; otherwise the listener starts with the others
	 */
	synchronized void resume(boolean start) {
		this.paused = false;
		if (!start || this.tripped) {
			return;
		}
		startConsuming();
		logger.info("Hare listener '" + getId() + "' resumed on queue '" + this.topology.queue() + "'");
	}

}
