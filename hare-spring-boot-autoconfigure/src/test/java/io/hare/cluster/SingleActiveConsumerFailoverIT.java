package io.hare.cluster;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances on different cluster nodes share a single-active-consumer quorum
 * queue: when the active one's node stops, the other takes over and nothing is lost.
 */
@Order(Integer.MAX_VALUE - 2)
class SingleActiveConsumerFailoverIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private final RabbitCluster cluster = RabbitCluster.get();

	private final CachingConnectionFactory connectionFactory = RabbitCluster.connectionFactory();

	private final String queue = BrokerFixture.uniqueName("cluster-singleton");

	@AfterEach
	void restartTheNodeAndDeleteTheQueue() {
		try {
			this.cluster.ensureUp();
			RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
			admin.deleteQueue(this.queue);
			admin.deleteQueue(this.queue + ".dead");
			admin.deleteQueue(this.queue + ".delay");
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

	@Test
	void theOtherInstanceTakesOverWhenTheActiveOnesNodeStops() {
		new RabbitAdmin(this.connectionFactory).declareQueue(
				QueueBuilder.durable(this.queue).quorum().singleActiveConsumer().build());
		instance(1).run((first) -> instance(2).run((second) -> {
			Handled firstHandled = first.getBean(Handled.class);
			Handled secondHandled = second.getBean(Handled.class);
			publish(0, 100);
			await().atMost(TIMEOUT).until(() -> firstHandled.ids.size() == 100);
			assertThat(secondHandled.ids).as("the second instance waits while the first is active").isEmpty();
			this.cluster.stopNode(1);
			publish(100, 200);
			await().atMost(TIMEOUT).until(() -> secondHandled.ids.size() >= 100);
			Set<Integer> all = ConcurrentHashMap.newKeySet();
			all.addAll(firstHandled.ids);
			all.addAll(secondHandled.ids);
			assertThat(all).as("every message handled by one instance or the other").hasSize(200);
			assertThat(secondHandled.ids).containsAll(java.util.stream.IntStream.range(100, 200).boxed().toList());
		}));
	}

	/**
	 * An application instance whose connection knows one node only, as if it ran beside it.
	 */
	private ApplicationContextRunner instance(int node) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.addresses=127.0.0.1:" + RabbitCluster.port(node),
					"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest", "hare.delay.enabled=false",
					"test.queue=" + this.queue)
			.withUserConfiguration(SingletonConfiguration.class);
	}

	/**
	 * Publish messages {@code from} to {@code to - 1}, each confirmed by the cluster.
	 */
	private void publish(int from, int to) {
		RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
		for (int id = from; id < to; id++) {
			int number = id;
			await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
				CorrelationData correlation = new CorrelationData();
				template.convertAndSend("", this.queue, String.valueOf(number), correlation);
				return correlation.getFuture().get(10, TimeUnit.SECONDS).ack();
			});
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class SingletonConfiguration {

		@Bean
		Handled handled() {
			return new Handled();
		}

	}

	static class Handled {

		final Set<Integer> ids = ConcurrentHashMap.newKeySet();

		@HareListener(id = "singleton", queue = "${test.queue}", queueType = QueueType.QUORUM,
				singleActiveConsumer = true)
		void onMessage(String id) {
			this.ids.add(Integer.parseInt(id));
		}

	}

}
