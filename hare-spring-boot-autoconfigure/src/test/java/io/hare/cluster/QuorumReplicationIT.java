package io.hare.cluster;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code queue.initial-group-size} replicates a quorum listener's work, dead-letter and delay
 * queues to that many of the cluster's nodes.
 */
@Order(Integer.MAX_VALUE - 2)
class QuorumReplicationIT {

	private final RabbitCluster cluster = RabbitCluster.get();

	private final CachingConnectionFactory connectionFactory = RabbitCluster.connectionFactory();

	private final String queue = BrokerFixture.uniqueName("cluster-replicas");

	@AfterEach
	void deleteTheQueues() {
		try {
			RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
			List.of(this.queue, this.queue + ".dead", this.queue + ".delay").forEach(admin::deleteQueue);
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

	@Test
	void initialGroupSizeReplicatesTheWorkDeadLetterAndDelayQueuesToThatManyNodes() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class))
			.withPropertyValues(RabbitCluster.springProperties())
			.withPropertyValues("test.queue=" + this.queue, "hare.delay.enabled=false",
					"hare.listeners.replicated.queue.type=quorum", "hare.listeners.replicated.queue.initial-group-size=2")
			.withBean(Replicated.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<String> lines = this.cluster.queues(this.queue).lines().toList();
				assertThat(lines).hasSize(3).allSatisfy((line) -> {
					// name, type, leader, then the online members as [a, b]
					String members = line.substring(line.indexOf('['), line.indexOf(']') + 1);
					assertThat(members.split(",")).as("members of %s", line).hasSize(2);
				});
			});
	}

	static class Replicated {

		@HareListener(id = "replicated", queue = "${test.queue}", delays = "1s")
		void onMessage(String message) {
		}

	}

}
