package io.hare.listener;

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

	HareListenerContainer(HareListenerEndpoint endpoint, ListenerTopology topology, TopologyDeclarer declarer,
			SimpleMessageListenerContainer container) {
		this.endpoint = endpoint;
		this.topology = topology;
		this.declarer = declarer;
		this.container = container;
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
	}

}
