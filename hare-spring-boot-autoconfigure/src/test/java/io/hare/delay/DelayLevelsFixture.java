package io.hare.delay;

import java.util.ArrayList;
import java.util.List;

import io.hare.test.BrokerFixture;

/**
 * A test's own delay levels, under a unique prefix so that tests never share them, deleted
 * with the broker fixture's queues and exchanges at the end.
 */
final class DelayLevelsFixture implements AutoCloseable {

	private final BrokerFixture broker = new BrokerFixture();

	private final DelayTopology topology = new DelayTopology(
			this.broker.trackDelayLevels(BrokerFixture.uniqueName("delay")));

	BrokerFixture broker() {
		return this.broker;
	}

	DelayTopology topology() {
		return this.topology;
	}

	String prefixProperty() {
		return "hare.delay.prefix=" + this.topology.getPrefix();
	}

	/**
	 * Return the queues of the levels, the ready queue and the unrouted queue that hold a
	 * message, longest level first.
	 */
	List<String> nonEmptyQueues() {
		List<String> nonEmpty = new ArrayList<>();
		for (String queue : queues()) {
			if (this.broker.depth(queue) > 0) {
				nonEmpty.add(queue);
			}
		}
		return nonEmpty;
	}

	List<String> queues() {
		List<String> queues = new ArrayList<>();
		for (int level = DelayTopology.LEVELS - 1; level >= 0; level--) {
			queues.add(this.topology.levelQueue(level));
		}
		queues.add(this.topology.readyQueue());
		queues.add(this.topology.unroutedQueue());
		return queues;
	}

	@Override
	public void close() {
		this.broker.close();
	}

}
