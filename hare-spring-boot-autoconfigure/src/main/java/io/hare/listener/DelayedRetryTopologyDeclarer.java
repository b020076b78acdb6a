package io.hare.listener;

import io.hare.delay.DelayInfrastructure;
import io.hare.topology.ListenerTopology;
import io.hare.topology.TopologyDeclarer;

import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Declares the topology of a listener with exponential backoff, then binds its queue to the
 * delay levels that bring its retries back.
 */
class DelayedRetryTopologyDeclarer extends TopologyDeclarer {

	private final DelayInfrastructure delays;

	DelayedRetryTopologyDeclarer(RabbitAdmin admin, boolean ignoreConflicts, DelayInfrastructure delays) {
		super(admin, ignoreConflicts);
		this.delays = delays;
	}

	@Override
	public void declare(String listenerId, ListenerTopology topology) {
		super.declare(listenerId, topology);
		this.delays.bindQueue(topology.queue());
	}

}
