package io.hare.sample.streams;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.sample.SampleBroker;
import io.hare.test.BrokerFixture;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application against the real broker, with queue names of its own, and
 * checks its stream listeners, tenant listeners added at run time, the auto-scaled report
 * worker and the single active consumer.
 */
@SpringBootTest(properties = { "sample.traffic.interval=200ms", "sample.traffic.report-burst=150",
		"hare.listeners.reports.auto-scaling.check-interval=200ms", "sample.tenants=acme,globex" })
@ContextConfiguration(initializers = SampleBroker.class)
@DirtiesContext
class StreamsAndScalingSampleIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

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

	@Autowired
	private BrokerFixture broker;

	@Value("${sample.prefix}")
	private String prefix;

	@Test
	void streamListenersEachReadEveryEventAndSkipGarbledOnes() {
		await().atMost(TIMEOUT).until(() -> this.audit.recorded() >= 8 && this.audit.projected() >= 8);
		await().atMost(TIMEOUT).until(() -> !this.events.streamFailures().isEmpty());
		assertThat(this.events.streamFailures()).allSatisfy((failure) -> {
			assertThat(failure.getListenerId()).isEqualTo("audit");
			assertThat(failure.getOffset()).isNotNull();
			assertThat(failure.getException()).hasMessageContaining("garbled");
			assertThat(failure.getDeadLetter()).isEqualTo(this.prefix + ".domain-events.failed");
		});
	}

	@Test
	void theAuditTrailReadsOverTheStreamProtocolAndStoresItsOffsetOnTheBroker() {
		HareListenerContainer audit = this.registry.getListener("audit").orElseThrow();
		assertThat(audit.getProtocol()).isEqualTo("stream");
		assertThat(audit.getStreamConsumerName()).contains("hare-sample.audit");
		await().atMost(TIMEOUT).until(() -> audit.getStoredStreamOffset().isPresent());
		await().atMost(TIMEOUT).until(() -> !this.events.streamFailures().isEmpty());
		// The garbled events were copied to a stream Hare declared for them.
		assertThat(this.broker.broker().ctl("list_queues", "name", "type"))
			.containsPattern(this.prefix + "\\.domain-events\\.failed\\s+stream");
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
		assertThat(this.broker.broker().ctl("list_consumers", "queue_name"))
			.doesNotContain(this.tenants.queue("globex"))
			.contains(this.tenants.queue("acme"));
	}

	@Test
	void closesTheBooksThroughASingleActiveConsumer() {
		await().atMost(TIMEOUT).until(() -> this.nightly.closed() >= 1);
		assertThat(this.broker.broker().ctl("list_queues", "name", "arguments"))
			.containsPattern(this.prefix + "\\.nightly-close\\s+.*x-single-active-consumer");
	}

}
