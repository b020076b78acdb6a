package io.hare.actuate;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.actuate.HareEndpoint.OutboxDescriptor;
import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.HareOutboxAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.autoconfigure.actuate.HareOutboxActuateAutoConfiguration;
import io.hare.publish.HarePublisher;
import io.hare.test.BrokerFixture;
import io.hare.test.PostgresFixture;
import io.hare.test.TcpProxy;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.core.convert.support.ConfigurableConversionService;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox's meters, health contributor and place in {@code /actuator/hare}, with a backlog
 * that grows while the relay cannot reach the broker and drains when it can again.
 */
class HareOutboxOperationsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	@AutoClose
	private final PostgresFixture database = new PostgresFixture();

	@AutoClose
	private final TcpProxy proxy = new TcpProxy(this.broker.broker().host(), this.broker.broker().port());

	private final String exchange = this.broker.exchange("outbox-ops");

	private final String queue = this.broker.queue("outbox-ops");

	private final String table = this.database.table("hare_outbox");

	private ApplicationContextRunner runner() {
		RabbitBrokerProperties relay = new RabbitBrokerProperties(this.broker, this.proxy);
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class,
					DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class, HareOutboxAutoConfiguration.class,
					HareOperationsAutoConfiguration.class, EndpointAutoConfiguration.class,
					HareEndpointAutoConfiguration.class, HareOutboxActuateAutoConfiguration.class))
			.withInitializer((context) -> context.getEnvironment()
				.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues(this.broker.broker().springProperties())
			.withPropertyValues(this.database.springProperties())
			.withPropertyValues(relay.properties())
			.withPropertyValues("management.endpoints.web.exposure.include=hare", "hare.delay.enabled=false",
					"hare.metrics.queue-depth-ttl=0s", "hare.outbox.enabled=true", "hare.outbox.table=" + this.table,
					"hare.outbox.initialize-schema=true", "hare.outbox.poll-interval=200ms",
					"hare.outbox.backoff.initial=100ms", "hare.outbox.backoff.max=200ms",
					"hare.outbox.health.max-age=1s", "hare.publishers.orders.exchange=" + this.exchange,
					"hare.publishers.orders.connection=relay", "hare.publishers.orders.confirm-timeout=1s");
	}

	@Test
	void aBacklogThatAgesPastTheMaximumIsDownInHealthMetersAndEndpointAndDrainsAfter() {
		runner().run((context) -> {
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			HareOutboxHealthIndicator health = context.getBean(HareOutboxHealthIndicator.class);
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
			this.broker.admin()
				.declareBinding(new Binding(this.queue, Binding.DestinationType.QUEUE, this.exchange, "", null));
			this.proxy.cut();
			for (int i = 0; i < 3; i++) {
				int n = i;
				transactions.executeWithoutResult((status) -> orders.publish("order-" + n));
			}
			await().atMost(TIMEOUT).until(() -> health.health(true).getStatus().equals(Status.DOWN));
			Health down = health.health(true);
			assertThat(down.getDetails()).containsEntry("pending", 3L).containsEntry("maxAge", "PT1S");
			assertThat(meters.get("hare.outbox.pending").tag("table", this.table).gauge().value()).isEqualTo(3);
			assertThat(meters.get("hare.outbox.oldest.age").timeGauge().value()).isGreaterThan(1);
			await().atMost(TIMEOUT)
				.until(() -> meters.get("hare.outbox.failed").functionCounter().count() > 0);
			OutboxDescriptor described = endpoint.hare().outbox();
			assertThat(described.table()).isEqualTo(this.table);
			assertThat(described.pending()).isEqualTo(3);
			assertThat(described.failed()).isPositive();
			this.proxy.restore();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(health.health(true)).extracting(Health::getStatus)
				.as(() -> health.health(true).getDetails().toString())
				.isEqualTo(Status.UP));
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(meters.get("hare.outbox.sent").functionCounter().count())
					.as(endpoint.hare().outbox().toString())
					.isEqualTo(3));
			assertThat(meters.get("hare.outbox.pending").gauge().value()).isZero();
			assertThat(endpoint.hare().outbox().pending()).isZero();
			assertThat(this.broker.depth(this.queue)).isEqualTo(3);
		});
	}

	@Test
	void theOutboxIsAbsentFromTheEndpointAndMetersWhenOff() {
		runner().withPropertyValues("hare.outbox.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(HareOutboxHealthIndicator.class).doesNotHaveBean(HareOutboxMetrics.class);
			assertThat(context.getBean(HareEndpoint.class).hare().outbox()).isNull();
		});
	}

	@Test
	void theHealthContributorIsOffWhenDisabledAndTheMetersWithoutMicrometer() {
		runner().withPropertyValues("management.health.hare-outbox.enabled=false")
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(HareOutboxHealthIndicator.class)
				.doesNotHaveBean(HareOutboxMetrics.class));
	}

	/**
	 * The properties of a {@code relay} connection through the proxy.
	 */
	private record RabbitBrokerProperties(BrokerFixture broker, TcpProxy proxy) {

		String[] properties() {
			return new String[] { "hare.connections.relay.host=127.0.0.1",
					"hare.connections.relay.port=" + this.proxy.port(),
					"hare.connections.relay.username=" + this.broker.broker().username(),
					"hare.connections.relay.password=" + this.broker.broker().password(),
					"hare.connections.relay.virtual-host=" + this.broker.broker().virtualHost() };
		}

	}

}
