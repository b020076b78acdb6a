package io.hare.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batch listeners against the real broker: a batch is acked as a whole, and each failed
 * message is recovered on its own, with its own attempts.
 */
class BatchListenerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("orders");

	private ApplicationContextRunner runner(Class<?> configuration) {
		return this.broker.contextRunner()
			.withPropertyValues("test.queue=" + this.queue, "hare.listeners.orders.retry.delay=100ms",
					"hare.listeners.orders.retry.limit=2")
			.withUserConfiguration(configuration);
	}

	@Test
	void aPoisonMessageIsDeadLetteredAloneAndTheRestOfItsBatchIsHandled() {
		publishBacklog(100, 37);
		runner(OrdersConfiguration.class).withPropertyValues("hare.listeners.orders.batch.size=100").run((context) -> {
			Orders orders = context.getBean(Orders.class);
			await().atMost(TIMEOUT).until(() -> orders.handled.size() == 99);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
			assertThat(orders.batchSizes).as("one batch took the whole backlog").contains(100);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 0);
		});
	}

	@Test
	void onlyTheElementsABatchExceptionNamesAreRetriedEachWithItsOwnAttempt() {
		publishBacklog(50, -1);
		runner(FailingElementsConfiguration.class).run((context) -> {
			FailingElements orders = context.getBean(FailingElements.class);
			await().atMost(TIMEOUT).until(() -> orders.handled.size() == 50);
			assertThat(orders.retried).containsExactlyInAnyOrder(7, 21, 42);
			assertThat(this.broker.depth(this.queue + ".dead")).isZero();
		});
	}

	@Test
	void anyOtherExceptionTriesEachElementAloneSoOnePoisonDoesNotHoldUpTheBatch() {
		publishBacklog(20, -1);
		runner(PoisonConfiguration.class).run((context) -> {
			PoisonOrders orders = context.getBean(PoisonOrders.class);
			await().atMost(TIMEOUT).until(() -> orders.handled.size() == 19);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 3)
				.containsEntry(HareHeaders.EXCEPTION, IllegalStateException.class.getName());
			assertThat(orders.handled).doesNotContain(13);
		});
	}

	/**
	 * Publish orders 0 to count - 1 into the queue before the listener starts, so that they
	 * arrive in batches; the order at the poison index (if any) is not JSON.
	 */
	private void publishBacklog(int count, int poison) {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		for (int id = 0; id < count; id++) {
			this.broker.publishJson("", this.queue, (id == poison) ? "{not json" : "{\"id\":" + id + "}");
		}
	}

	record Order(int id) {
	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersConfiguration {

		@Bean
		Orders orders() {
			return new Orders();
		}

		@Bean
		HareListenerObserver batchSizes(Orders orders) {
			return new HareListenerObserver() {

				@Override
				public void batchHandled(String listenerId, int size) {
					orders.batchSizes.add(size);
				}

			};
		}

	}

	static class Orders {

		final List<Integer> handled = new CopyOnWriteArrayList<>();

		final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

		@HareListener(id = "orders", queue = "${test.queue}")
		void onOrders(List<Order> orders) {
			orders.forEach((order) -> this.handled.add(order.id()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingElementsConfiguration {

		@Bean
		FailingElements failingElements() {
			return new FailingElements();
		}

	}

	static class FailingElements {

		final List<Integer> handled = new CopyOnWriteArrayList<>();

		final List<Integer> retried = new CopyOnWriteArrayList<>();

		@HareListener(id = "orders", queue = "${test.queue}", batchSize = 50)
		void onOrders(List<Message> messages) {
			List<Message> failed = new ArrayList<>();
			for (Message message : messages) {
				int id = Integer.parseInt(new String(message.getBody(), StandardCharsets.UTF_8).replaceAll("\\D", ""));
				int failedBefore = HareHeaders.failedAttempts(message.getMessageProperties());
				if (Set.of(7, 21, 42).contains(id) && failedBefore == 0) {
					failed.add(message);
				}
				else {
					if (failedBefore == 1) {
						this.retried.add(id);
					}
					this.handled.add(id);
				}
			}
			if (!failed.isEmpty()) {
				throw HareBatchException.failed(new IllegalStateException("inventory busy"), failed);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PoisonConfiguration {

		@Bean
		PoisonOrders poisonOrders() {
			return new PoisonOrders();
		}

	}

	static class PoisonOrders {

		final List<Integer> handled = new CopyOnWriteArrayList<>();

		@HareListener(id = "orders", queue = "${test.queue}", batchSize = 20)
		void onOrders(List<Order> orders) {
			if (orders.stream().anyMatch((order) -> order.id() == 13)) {
				throw new IllegalStateException("order 13 is poison");
			}
			orders.forEach((order) -> this.handled.add(order.id()));
		}

	}

}
