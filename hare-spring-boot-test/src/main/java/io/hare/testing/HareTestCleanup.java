package io.hare.testing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.connection.HareConnections;
import io.hare.listener.HareListenerContainer;
import io.hare.publish.DefaultHarePublisher;
import io.hare.publish.HarePublishers;
import io.hare.topology.ListenerTopology;

import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.DisposableBean;

/**
 * Deletes, when the application context closes, the queues and exchanges Hare declared for
 * the listeners (work, retry and dead-letter queues, exchange) and publishers (exchange) of
 * a test. Runs after every listener stopped: a running listener would declare them again.
 * The delay levels are shared by every application on the virtual host and stay.
 */
final class HareTestCleanup implements DisposableBean {

	private static final Log logger = LogFactory.getLog(HareTestCleanup.class);

	private final HareTestRecorder recorder;

	private final HareConnections connections;

	private final List<HarePublishers> publishers;

	HareTestCleanup(HareTestRecorder recorder, HareConnections connections, List<HarePublishers> publishers) {
		this.recorder = recorder;
		this.connections = connections;
		this.publishers = publishers;
	}

	@Override
	public void destroy() {
		Set<String> exchanges = new LinkedHashSet<>();
		for (HareListenerContainer listener : this.recorder.createdListeners()) {
			RabbitAdmin admin = this.connections.get(listener.getSettings().connection()).getAdmin();
			ListenerTopology topology = listener.getTopology();
			topology.delayLevels().forEach((delay) -> deleteQueue(admin, topology.delayQueue(delay)));
			if (topology.hasRetryQueues()) {
				deleteQueue(admin, topology.deadQueue());
			}
			deleteQueue(admin, topology.queue());
			String exchange = topology.exchange();
			if (exchange != null && !exchange.startsWith("amq.") && exchanges.add(exchange)) {
				deleteExchange(admin, exchange);
			}
		}
		this.publishers.stream().flatMap((registry) -> registry.getPublishers().stream())
			.filter((publisher) -> publisher instanceof DefaultHarePublisher hare && hare.isDeclaringExchange())
			.map(DefaultHarePublisher.class::cast)
			.filter((publisher) -> exchanges.add(publisher.getExchange()))
			.forEach((publisher) -> deleteExchange(publisher.getConnection().getAdmin(), publisher.getExchange()));
	}

	private static void deleteQueue(RabbitAdmin admin, String queue) {
		try {
			admin.deleteQueue(queue);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete queue '" + queue + "' after the test: " + ex.getMessage());
		}
	}

	private static void deleteExchange(RabbitAdmin admin, String exchange) {
		try {
			admin.deleteExchange(exchange);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete exchange '" + exchange + "' after the test: " + ex.getMessage());
		}
	}

}
