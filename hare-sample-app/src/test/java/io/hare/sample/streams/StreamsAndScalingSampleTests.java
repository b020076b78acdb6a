package io.hare.sample.streams;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.hare.listener.HareListenerRegistry;
import io.hare.test.BrokerFixture;
import io.hare.test.RabbitBroker;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application against the real broker, with queue names of its own, and
 * checks its stream listeners, tenant listeners added at run time, the auto-scaled report
 * worker and the single active consumer.
 */
@SpringBootTest(properties = { "sample.traffic.interval=200ms", "sample.traffic.report-burst=150",
		"hare.listeners.reports.auto-scaling.check-interval=200ms", "sample.tenants=acme,globex" })
@DirtiesContext
class StreamsAndScalingSampleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final BrokerFixture broker = new BrokerFixture();

	private static final String prefix = BrokerFixture.uniqueName("sample");

	@Autowired
	private AuditTrail audit;

	@Autowired
	private ReportWorker reports;

	@Autowired
	private NightlyClose nightly;

	@Autowired
	private TenantInvoices tenants;

	@Autowired
	private ScalingAndStreamEventLog events;

	@Autowired
	private HareListenerRegistry registry;

	@DynamicPropertySource
	static void brokerProperties(DynamicPropertyRegistry registry) {
		RabbitBroker rabbit = RabbitBroker.get();
		registry.add("spring.rabbitmq.host", rabbit::host);
		registry.add("spring.rabbitmq.port", rabbit::port);
		registry.add("spring.rabbitmq.username", rabbit::username);
		registry.add("spring.rabbitmq.password", rabbit::password);
		registry.add("spring.rabbitmq.virtual-host", rabbit::virtualHost);
		registry.add("sample.prefix", () -> prefix);
		// This feature's queues, and those of the rest of the sample, which runs alongside.
		for (String queue : new String[] { "domain-events", "reports", "nightly-close", "invoices.acme",
				"invoices.globex", "orders", "payments", "receipts", "reminders", "shipping" }) {
			broker.track(prefix + "." + queue);
		}
		broker.trackExchange(prefix + ".shop");
		broker.trackDelayLevels(prefix + ".delay");
	}

	/**
	 * Deletes the topology when the context closes, after its containers and scheduled
	 * traffic stopped: a running container declares its queues again when they are deleted.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class DeleteTopologyOnClose {

		@Bean
		DisposableBean deleteTopology() {
			return broker::close;
		}

	}

	@Test
	void streamListenersEachReadEveryEventAndSkipGarbledOnes() {
		await().atMost(TIMEOUT).until(() -> this.audit.recorded() >= 8 && this.audit.projected() >= 8);
		await().atMost(TIMEOUT).until(() -> !this.events.streamFailures().isEmpty());
		assertThat(this.events.streamFailures()).allSatisfy((failure) -> {
			assertThat(failure.getListenerId()).isEqualTo("audit");
			assertThat(failure.getOffset()).isNotNull();
			assertThat(failure.getException()).hasMessageContaining("garbled");
		});
	}

	@Test
	void reportBurstScalesTheWorkerUpWithinItsBounds() {
		await().atMost(TIMEOUT).until(() -> this.events.scaled()
			.stream()
			.anyMatch((event) -> event.getListenerId().equals("reports") && event.getConsumers() > 1));
		await().atMost(TIMEOUT).until(() -> this.reports.rendered() >= 150);
		assertThat(this.events.scaled()).filteredOn((event) -> event.getListenerId().equals("reports"))
			.allSatisfy((event) -> assertThat(event.getConsumers()).isBetween(1, 8));
	}

	@Test
	void tenantListenersAddedAtRunTimeBookInvoicesUntilRemoved() {
		await().atMost(TIMEOUT).until(() -> this.tenants.booked("acme") >= 3 && this.tenants.booked("globex") >= 3);
		assertThat(this.registry.getListener("invoices-acme")).isPresent();
		assertThat(this.tenants.offboard("globex")).isTrue();
		assertThat(this.registry.getListener("invoices-globex")).isEmpty();
		assertThat(broker.broker().ctl("list_consumers", "queue_name"))
			.doesNotContain(this.tenants.queue("globex"))
			.contains(this.tenants.queue("acme"));
	}

	@Test
	void closesTheBooksThroughASingleActiveConsumer() {
		await().atMost(TIMEOUT).until(() -> this.nightly.closed() >= 1);
		assertThat(broker.broker().ctl("list_queues", "name", "arguments"))
			.containsPattern(prefix + "\\.nightly-close\\s+.*x-single-active-consumer");
	}

}
