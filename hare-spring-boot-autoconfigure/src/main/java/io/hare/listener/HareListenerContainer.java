package io.hare.listener;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.topology.ListenerTopology;
import io.hare.topology.TopologyDeclarer;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

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

	private final List<HareListenerObserver> observers;

	private volatile boolean paused;

	private volatile int consumers;

	HareListenerContainer(HareListenerEndpoint endpoint, ListenerTopology topology, TopologyDeclarer declarer,
			SimpleMessageListenerContainer container, List<HareListenerObserver> observers) {
		this.endpoint = endpoint;
		this.topology = topology;
		this.declarer = declarer;
		this.container = container;
		this.observers = observers;
		this.consumers = endpoint.spec().effectiveConcurrency();
	}

	public String getId() {
		return this.endpoint.id();
	}

	public HareListenerSpec getSpec() {
		return this.endpoint.spec();
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
		logger.info("Hare listener '" + getId() + "' (" + this.endpoint.handlerDescription() + ") consumes queue '"
				+ this.topology.queue() + "' with " + getSpec().effectiveConcurrency() + " consumer(s)");
	}

	void stop(Runnable callback) {
		this.container.stop(callback);
	}

	void destroy() {
		this.container.destroy();
		this.observers.forEach((observer) -> observer.listenerDestroyed(this));
	}

	/**
	 * Return the number of consumers asked for, as configured or last set through the
	 * registry.
	 * @return the desired consumers
	 */
	public int getDesiredConsumers() {
		return this.consumers;
	}

	/**
	 * Return the number of consumers running now; zero while paused or stopped.
	 * @return the actual consumers
	 */
	public int getActualConsumers() {
		return this.container.getActiveConsumerCount();
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
		int previous = this.consumers;
		this.container.setConcurrentConsumers(consumers);
		this.consumers = consumers;
		return previous;
	}

	/**
	 * Stop consuming, letting in-flight messages finish; the queue keeps the rest.
	 */
	synchronized void pause() {
		this.paused = true;
		this.container.stop();
		logger.info("Hare listener '" + getId() + "' paused; queue '" + this.topology.queue() + "' keeps its messages");
	}

	/**
	 * Start consuming again after {@link #pause()}.
	 * @param start whether to start now; otherwise the listener starts with the others
	 */
	synchronized void resume(boolean start) {
		this.paused = false;
		if (!start) {
			return;
		}
		this.container.start();
		logger.info("Hare listener '" + getId() + "' resumed on queue '" + this.topology.queue() + "'");
	}

}
