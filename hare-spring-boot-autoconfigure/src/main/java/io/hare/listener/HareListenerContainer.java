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
	 * Stop consuming until {@link #resume() resumed}; messages in flight finish first. The
	 * listener stays registered and its queue keeps filling.
	 */
	public synchronized void pause() {
		this.paused = true;
		this.container.stop();
		logger.info("Hare listener '" + getId() + "' paused consuming queue '" + this.topology.queue() + "'");
	}

	/**
	 * Consume again after a {@link #pause() pause}.
	 */
	public synchronized void resume() {
		this.paused = false;
		this.container.start();
		logger.info("Hare listener '" + getId() + "' resumed consuming queue '" + this.topology.queue() + "'");
	}

	/**
	 * Whether the listener was {@link #pause() paused}, so that it is stopped on purpose.
	 * @return whether the listener is paused
	 */
	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * Return the number of consumers the listener is set to run.
	 * @return the desired number of consumers
	 */
	public int getConsumers() {
		return this.consumers;
	}

	/**
	 * Change the number of consumers; a consumer stopped by a decrease finishes its in-flight
	 * messages first.
	 * @param consumers the number of consumers, at least 1
	 */
	public synchronized void setConsumers(int consumers) {
		if (consumers < 1) {
			throw new IllegalArgumentException("A Hare listener needs at least 1 consumer, not " + consumers);
		}
		int previous = this.consumers;
		this.container.setConcurrentConsumers(consumers);
		this.consumers = consumers;
		logger.info("Hare listener '" + getId() + "' scaled from " + previous + " to " + consumers
				+ " consumer(s) on queue '" + this.topology.queue() + "'");
	}

}
