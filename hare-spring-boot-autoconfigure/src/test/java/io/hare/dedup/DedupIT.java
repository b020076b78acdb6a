package io.hare.dedup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.autoconfigure.HareRedisDedupAutoConfiguration;
import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublishException.Reason;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishResult;
import io.hare.publish.PublishResult.Status;
import io.hare.test.BrokerFixture;
import io.hare.test.RedisFixture;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Deduplicating publishers against the real broker and the real Redis: by keys, by whole
 * message, expiry, concurrent duplicates, release on failure, and a store shared by two
 * application contexts.
 */
class DedupIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	@AutoClose
	private final RedisFixture redis = new RedisFixture();

	private final String queue = this.broker.queue("dedup");

	private final String exchange = this.broker.exchange("dedup");

	enum Store {

		MEMORY, REDIS

	}

	private ApplicationContextRunner runner(Store store, String... properties) {
		ApplicationContextRunner runner = this.broker.contextRunner(DataRedisAutoConfiguration.class, HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class, HareRedisDedupAutoConfiguration.class)
			.withPropertyValues("hare.publishers.orders.exchange=" + this.exchange,
					"hare.publishers.orders.routing-key=order.created")
			.withPropertyValues(properties);
		return (store == Store.REDIS) ? runner.withPropertyValues(this.redis.properties()) : runner;
	}

	private void bindQueue() {
		this.broker.admin().declareExchange(new DirectExchange(this.exchange));
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin()
			.declareBinding(
					new Binding(this.queue, Binding.DestinationType.QUEUE, this.exchange, "order.created", null));
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void dropsAMessageWithTheSameKeyValues(Store store) {
		runner(store, "hare.publishers.orders.dedup.ttl=10m", "hare.publishers.orders.dedup.keys=orderId")
			.run((context) -> {
				bindQueue();
				HarePublisher orders = context.getBean("orders", HarePublisher.class);
				PublishResult first = orders.publish(new Order(42, "first"));
				PublishResult again = orders.publish(new Order(42, "edited note, same order"));
				PublishResult other = orders.publish(new Order(43, "first"));
				assertThat(first.status()).isEqualTo(Status.PUBLISHED);
				assertThat(again.status()).isEqualTo(Status.DUPLICATE);
				assertThat(again.dedupKey()).isEqualTo(first.dedupKey());
				assertThat(other.status()).isEqualTo(Status.PUBLISHED);
				assertThat(this.broker.depth(this.queue)).isEqualTo(2);
			});
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void dropsAByteIdenticalMessageWhenNoKeysAreSet(Store store) {
		runner(store, "hare.publishers.orders.dedup.ttl=infinite").run((context) -> {
			bindQueue();
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			assertThat(orders.publish(new Order(1, "a")).status()).isEqualTo(Status.PUBLISHED);
			assertThat(orders.publish(new Order(1, "a")).status()).isEqualTo(Status.DUPLICATE);
			assertThat(orders.publish(new Order(1, "b")).status()).isEqualTo(Status.PUBLISHED);
			assertThat(orders.publish("raw text").status()).isEqualTo(Status.PUBLISHED);
			assertThat(orders.publish("raw text").status()).isEqualTo(Status.DUPLICATE);
			assertThat(this.broker.depth(this.queue)).isEqualTo(3);
		});
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void letsTheSameMessageThroughAgainAfterTheTtl(Store store) {
		runner(store, "hare.publishers.orders.dedup.ttl=500ms", "hare.publishers.orders.dedup.keys=orderId")
			.run((context) -> {
				bindQueue();
				HarePublisher orders = context.getBean("orders", HarePublisher.class);
				assertThat(orders.publish(new Order(5, "x")).status()).isEqualTo(Status.PUBLISHED);
				assertThat(orders.publish(new Order(5, "x")).status()).isEqualTo(Status.DUPLICATE);
				await().atMost(TIMEOUT)
					.pollInterval(Duration.ofMillis(100))
					.until(() -> orders.publish(new Order(5, "x")).status() == Status.PUBLISHED);
				assertThat(this.broker.depth(this.queue)).isEqualTo(2);
			});
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void concurrentDuplicatePublishesSendExactlyOne(Store store) {
		runner(store, "hare.publishers.orders.dedup.ttl=10m", "hare.publishers.orders.dedup.keys=orderId")
			.run((context) -> {
				bindQueue();
				HarePublisher orders = context.getBean("orders", HarePublisher.class);
				int threads = 8;
				ExecutorService executor = Executors.newFixedThreadPool(threads);
				try {
					for (int round = 0; round < 10; round++) {
						Order order = new Order(1000 + round, "race");
						List<Callable<PublishResult>> publishes = new ArrayList<>();
						for (int i = 0; i < threads; i++) {
							publishes.add(() -> orders.publish(order));
						}
						int published = 0;
						for (Future<PublishResult> result : executor.invokeAll(publishes)) {
							published += result.get(30, TimeUnit.SECONDS).isPublished() ? 1 : 0;
						}
						assertThat(published).as("published copies of order %d", order.orderId()).isEqualTo(1);
					}
				}
				finally {
					executor.shutdownNow();
				}
				assertThat(this.broker.depth(this.queue)).isEqualTo(10);
			});
	}

	@ParameterizedTest
	@EnumSource(Store.class)
	void aFailedPublishReleasesItsClaimSoARetryGoesThrough(Store store) {
		runner(store, "hare.publishers.orders.dedup.ttl=10m", "hare.publishers.orders.dedup.keys=orderId")
			.run((context) -> {
				HarePublisher orders = context.getBean("orders", HarePublisher.class);
				assertThatExceptionOfType(HarePublishException.class)
					.isThrownBy(() -> orders.publish(new Order(9, "no queue yet")))
					.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNROUTABLE));
				bindQueue();
				assertThat(orders.publish(new Order(9, "no queue yet")).status()).isEqualTo(Status.PUBLISHED);
				assertThat(orders.publish(new Order(9, "no queue yet")).status()).isEqualTo(Status.DUPLICATE);
				assertThat(this.broker.depth(this.queue)).isEqualTo(1);
			});
	}

	@Test
	void aMessageWithoutTheKeyRaisesDedupKeyMissing() {
		runner(Store.MEMORY, "hare.publishers.orders.dedup.ttl=10m", "hare.publishers.orders.dedup.keys=orderId")
			.run((context) -> {
				bindQueue();
				HarePublisher orders = context.getBean("orders", HarePublisher.class);
				assertThatExceptionOfType(HarePublishException.class)
					.isThrownBy(() -> orders.publish(new Other("no order id")))
					.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.DEDUP_KEY_MISSING))
					.withMessageContaining("orderId");
				assertThat(this.broker.depth(this.queue)).isZero();
			});
	}

	@Test
	void redisClaimsAreSharedByTwoApplicationContexts() {
		String[] properties = { "hare.publishers.orders.dedup.ttl=10m", "hare.publishers.orders.dedup.keys=orderId" };
		runner(Store.REDIS, properties).run((first) -> runner(Store.REDIS, properties).run((second) -> {
			bindQueue();
			HarePublisher firstOrders = first.getBean("orders", HarePublisher.class);
			HarePublisher secondOrders = second.getBean("orders", HarePublisher.class);
			assertThat(firstOrders).isNotSameAs(secondOrders);
			PublishResult published = firstOrders.publish(new Order(77, "instance one"));
			assertThat(secondOrders.publish(new Order(77, "instance two")).status()).isEqualTo(Status.DUPLICATE);
			assertThat(secondOrders.publish(new Order(78, "instance two")).status()).isEqualTo(Status.PUBLISHED);
			assertThat(firstOrders.publish(new Order(78, "instance one")).status()).isEqualTo(Status.DUPLICATE);
			assertThat(this.broker.depth(this.queue)).isEqualTo(2);
			String key = this.redis.keyPrefix() + published.dedupKey();
			assertThat(this.redis.keys()).hasSize(2).contains(key);
			assertThat(this.redis.redis().getExpire(key, TimeUnit.MILLISECONDS)).isBetween(1L,
					Duration.ofMinutes(10).toMillis());
		}));
	}

	@Test
	void anUnreachableRedisFailsThePublishWithAClearReason() {
		runner(Store.REDIS, "hare.publishers.orders.dedup.ttl=10m")
			.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.timeout=1s",
					"spring.data.redis.connect-timeout=1s")
			.run((context) -> {
				bindQueue();
				HarePublisher orders = context.getBean("orders", HarePublisher.class);
				assertThatExceptionOfType(HarePublishException.class).isThrownBy(() -> orders.publish(new Order(1, "a")))
					.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.DEDUP_STORE_UNAVAILABLE))
					.withMessageContaining("Redis");
				assertThat(this.broker.depth(this.queue)).isZero();
			});
	}

	@Test
	void anUnreachableRedisIsSkippedWhenFailOpen() {
		runner(Store.REDIS, "hare.publishers.orders.dedup.ttl=10m", "hare.dedup.fail-open=true")
			.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.timeout=1s",
					"spring.data.redis.connect-timeout=1s")
			.run((context) -> {
				bindQueue();
				HarePublisher orders = context.getBean("orders", HarePublisher.class);
				assertThat(orders.publish(new Order(1, "a")).status()).isEqualTo(Status.PUBLISHED);
				assertThat(orders.publish(new Order(1, "a")).status()).as("no store, no dedup")
					.isEqualTo(Status.PUBLISHED);
				assertThat(this.broker.depth(this.queue)).isEqualTo(2);
			});
	}

	record Order(long orderId, String note) {
	}

	record Other(String note) {
	}

}
