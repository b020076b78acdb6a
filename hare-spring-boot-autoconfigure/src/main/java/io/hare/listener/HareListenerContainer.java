package io.hare.listener;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.scaling.QueueDepthAutoScaler;
import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;
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
		return this.container.isRunning();
	}

	/**
	 * Declare the topology and start consuming. A broker that cannot be reached is not fatal:
	 * the container keeps trying and the topology is declared when the connection opens. A
	 * broker that refuses the topology is.
	 * @throws io.hare.topology.HareDeclarationException if the broker refuses a declaration
	 */
	void start() {
		try {
			this.declarer.declare(getId(), this.topology);
		}
		catch (AmqpConnectException ex) {
			logger.warn("Hare listener '" + getId() + "' cannot reach the broker yet; queue '"
					+ this.topology.queue() + "' will be declared when it connects: " + ex.getMessage());
		}
		this.container.start();
		if (this.autoScaler != null) {
			this.autoScaler.start();
		}
		logger.info("Hare listener '" + getId() + "' (" + this.endpoint.handlerDescription() + ") consumes queue '"
				+ this.topology.queue() + "' with " + getDesiredConsumers() + " consumer(s)"
				+ ((this.autoScaler != null) ? ", auto-scaled between " + this.autoScaler.getMinConsumers() + " and "
						+ this.autoScaler.getMaxConsumers() : ""));
	}

	void stop(Runnable callback) {
		if (this.autoScaler != null) {
			this.autoScaler.stop();
		}
		this.container.stop(callback);
	}

	void destroy() {
		if (this.autoScaler != null) {
			this.autoScaler.stop();
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
		if (this.autoScaler != null) {
			this.autoScaler.stop();
		}
		this.container.stop();
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
		this.container.start();
		if (this.autoScaler != null) {
			this.autoScaler.start();
		}
	}

	/**
	 * Stop consuming, letting in-flight messages finish; the queue keeps the rest.
	 */
	synchronized void pause() {
		this.paused = true;
		if (this.autoScaler != null) {
			this.autoScaler.stop();
		}
		this.container.stop();
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
		this.container.start();
		if (this.autoScaler != null) {
			this.autoScaler.start();
		}
		logger.info("Hare listener '" + getId() + "' resumed on queue '" + this.topology.queue() + "'");
	}

}
