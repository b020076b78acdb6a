package io.hare.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.autoconfigure.HareOutboxAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishRequest;
import io.hare.publish.PublishResult;
import io.hare.test.BrokerFixture;
import io.hare.test.PostgresFixture;
import io.hare.test.TcpProxy;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox against the real PostgreSQL and the real broker: what a commit and
 * a rollback send, concurrency, an unreachable broker, two relays and a relay that died.
 */
class OutboxIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	@AutoClose
	private final PostgresFixture database = new PostgresFixture();

	private final String queue = this.broker.queue("outbox");

	private final String exchange = this.broker.exchange("outbox");

	private final String table = this.database.table("hare_outbox");

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class,
					HareDelayAutoConfiguration.class, DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					HareOutboxAutoConfiguration.class))
			.withPropertyValues(this.broker.broker().springProperties())
			.withPropertyValues(this.database.springProperties())
			.withPropertyValues("hare.delay.enabled=false", "hare.outbox.enabled=true",
					"hare.outbox.table=" + this.table, "hare.outbox.initialize-schema=true",
					"hare.outbox.poll-interval=200ms", "hare.outbox.backoff.initial=100ms",
					"hare.outbox.backoff.max=500ms", "hare.publishers.orders.exchange=" + this.exchange,
					"hare.publishers.orders.exchange-type=topic",
					"hare.publishers.orders.routing-key=order.created");
	}

	private void bindQueue() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin()
			.declareBinding(new Binding(this.queue, Binding.DestinationType.QUEUE, this.exchange, "#", null));
	}

	@Test
	void rollbackSendsNothingAndCommitSendsOnceWithItsProperties() {
		runner().run((context) -> {
			bindQueue();
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			transactions.executeWithoutResult((status) -> {
				assertThat(orders.publish("rolled back").isStored()).isTrue();
				status.setRollbackOnly();
			});
			PublishResult stored = transactions.execute((status) -> orders.publish(PublishRequest.of("committed")
				.messageId("order-1")
				.header("x-tenant", "acme")
				.header("x-count", 3L)));
			assertThat(stored.status()).isEqualTo(PublishResult.Status.STORED);
			assertThat(stored.messageId()).isEqualTo("order-1");
			Message message = this.broker.receive(this.queue, TIMEOUT);
			assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("committed");
			MessageProperties properties = message.getMessageProperties();
			assertThat(properties.getMessageId()).isEqualTo("order-1");
			assertThat(properties.getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
			assertThat(properties.<String>getHeader("x-tenant")).isEqualTo("acme");
			assertThat(properties.<Long>getHeader("x-count")).isEqualTo(3L);
			await().atMost(TIMEOUT).until(() -> this.database.count(this.table) == 0);
			assertThat(this.broker.depth(this.queue)).as("the rolled-back message").isZero();
			assertThat(context.getBean(HareOutbox.class).getStatistics().sent()).isEqualTo(1);
		});
	}

	@Test
	void outsideATransactionSendsAtOnceUnlessATransactionIsRequired() {
		runner().run((context) -> {
			bindQueue();
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			assertThat(orders.publish("direct").isPublished()).isTrue();
			assertThat(this.broker.depth(this.queue)).isEqualTo(1);
		});
		runner().withPropertyValues("hare.outbox.require-transaction=true").run((context) -> {
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			assertThatIllegalStateException().isThrownBy(() -> orders.publish("direct"))
				.withMessageContaining("hare.outbox.require-transaction");
		});
	}

	@Test
	void thousandTransactionsFromEightThreadsSendEveryCommittedMessageOnceAndNoRolledBackOne() {
		runner().run((context) -> {
			bindQueue();
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			Set<String> committed = ConcurrentHashMap.newKeySet();
			ExecutorService threads = Executors.newFixedThreadPool(8);
			List<Future<?>> done = new ArrayList<>();
			for (int thread = 0; thread < 8; thread++) {
				int first = thread * 125;
				done.add(threads.submit(() -> {
					for (int i = first; i < first + 125; i++) {
						String id = "tx-" + i;
						boolean rollBack = i % 5 == 0;
						transactions.executeWithoutResult((status) -> {
							orders.publish(PublishRequest.of(id).messageId(id));
							if (rollBack) {
								status.setRollbackOnly();
							}
						});
						if (!rollBack) {
							committed.add(id);
						}
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
			threads.shutdown();
			assertThat(committed).hasSize(800);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) >= 800);
			await().atMost(TIMEOUT).until(() -> this.database.count(this.table) == 0);
			List<String> received = drain();
			assertThat(received).hasSize(800).doesNotHaveDuplicates();
			assertThat(new HashSet<>(received)).isEqualTo(committed);
		});
	}

	@Test
	void deduplicatingPublisherDropsTheSecondCopyWhenTheRelaySendsIt() {
		runner().withPropertyValues("hare.publishers.orders.dedup.ttl=1m").run((context) -> {
			bindQueue();
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			transactions.executeWithoutResult((status) -> orders.publish("same"));
			transactions.executeWithoutResult((status) -> orders.publish("same"));
			await().atMost(TIMEOUT).until(() -> context.getBean(HareOutbox.class).getStatistics().duplicates() == 1);
			assertThat(this.database.count(this.table)).isZero();
			assertThat(drain()).containsExactly("same");
		});
	}

	@Test
	void delayedMessageIsHeldInTheDelayLevelsAfterTheCommit() {
		String prefix = this.broker.trackDelayLevels(BrokerFixture.uniqueName("delay"));
		runner().withPropertyValues("hare.delay.enabled=true", "hare.delay.prefix=" + prefix).run((context) -> {
			bindQueue();
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			long committedAt = System.nanoTime();
			transactions.executeWithoutResult((status) -> orders.publish("later", Duration.ofSeconds(1)));
			Message message = this.broker.receive(this.queue, TIMEOUT);
			assertThat(message).isNotNull();
			assertThat(Duration.ofNanos(System.nanoTime() - committedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
			assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("later");
		});
	}

	@Test
	void rowsWaitWhileTheBrokerIsUnreachableAndAreAllSentAfter() {
		try (TcpProxy proxy = new TcpProxy(this.broker.broker().host(), this.broker.broker().port())) {
			runner().withPropertyValues("hare.connections.relay.host=127.0.0.1",
					"hare.connections.relay.port=" + proxy.port(),
					"hare.connections.relay.username=" + this.broker.broker().username(),
					"hare.connections.relay.password=" + this.broker.broker().password(),
					"hare.connections.relay.virtual-host=" + this.broker.broker().virtualHost(),
					"hare.publishers.orders.connection=relay", "hare.publishers.orders.confirm-timeout=2s")
				.run((context) -> {
					bindQueue();
					HarePublisher orders = context.getBean("orders", HarePublisher.class);
					TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
					HareOutbox outbox = context.getBean(HareOutbox.class);
					transactions.executeWithoutResult((status) -> orders.publish("before"));
					await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 1);
					proxy.cut();
					for (int i = 0; i < 50; i++) {
						int n = i;
						transactions.executeWithoutResult((status) -> orders.publish("during-" + n));
					}
					await().atMost(TIMEOUT).until(() -> outbox.getStatistics().failed() > 0);
					assertThat(outbox.getStatistics().pending()).isEqualTo(50);
					assertThat(this.broker.depth(this.queue)).isEqualTo(1);
					proxy.restore();
					await().atMost(TIMEOUT).until(() -> this.database.count(this.table) == 0);
					List<String> received = drain();
					assertThat(received).hasSize(51).doesNotHaveDuplicates();
				});
		}
	}

	@Test
	void twoRelaysOnOneTableSendEachMessageOnceAndInOrderPerKey() {
		ApplicationContextRunner runner = runner().withPropertyValues("hare.outbox.batch-size=7",
				"hare.outbox.ordering.field=key");
		runner.run((first) -> runner.run((second) -> {
			bindQueue();
			HarePublisher orders = first.getBean("orders", HarePublisher.class);
			TransactionTemplate transactions = first.getBean(TransactionTemplate.class);
			for (int i = 0; i < 300; i++) {
				int n = i;
				transactions.executeWithoutResult((status) -> {
					orders.publish(Map.of("key", "k" + (n % 5), "seq", n));
					// Wake the other instance's relay too, as a commit on it would.
					second.getBean(HareOutbox.class).relayNow();
				});
			}
			await().atMost(TIMEOUT).until(() -> this.database.count(this.table) == 0);
			List<String> received = drain();
			assertThat(received).hasSize(300).doesNotHaveDuplicates();
			Map<String, Integer> last = new HashMap<>();
			for (String body : received) {
				Map<?, ?> json = first.getBean(io.hare.convert.HareMessageConverter.class)
					.getJsonMapper()
					.readValue(body, Map.class);
				String key = (String) json.get("key");
				int seq = (Integer) json.get("seq");
				assertThat(seq).as("order of " + key).isGreaterThan(last.getOrDefault(key, -1));
				last.put(key, seq);
			}
			assertThat(sent(first) + sent(second)).isEqualTo(300);
		}));
	}

	@Test
	void rowsLeasedByADeadRelayAreSentByAnotherAfterTheLease() {
		OutboxTable outboxTable = new OutboxTable(this.database.dataSource(), this.table);
		outboxTable.createSchema();
		for (int i = 0; i < 20; i++) {
			MessageProperties properties = new MessageProperties();
			properties.setMessageId("dead-" + i);
			outboxTable.insert("orders", this.exchange, "order.created", null,
					new Message(("dead-" + i).getBytes(StandardCharsets.UTF_8), properties), null);
		}
		// A relay that claimed the batch and died before it sent or gave back anything.
		assertThat(outboxTable.claim("dead-relay", 100, Duration.ofSeconds(2))).hasSize(20);
		runner().run((context) -> {
			bindQueue();
			await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(2))
				.until(() -> this.broker.depth(this.queue) == 0);
			await().atMost(TIMEOUT).until(() -> this.database.count(this.table) == 0);
			assertThat(drain()).hasSize(20).doesNotHaveDuplicates();
		});
	}

	private static long sent(ApplicationContext context) {
		return context.getBean(HareOutbox.class).getStatistics().sent();
	}

	private List<String> drain() {
		List<String> bodies = new ArrayList<>();
		Message message;
		while ((message = this.broker.receive(this.queue, Duration.ofMillis(200))) != null) {
			bodies.add(new String(message.getBody(), StandardCharsets.UTF_8));
		}
		return bodies;
	}

}
