package io.hare.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;
import io.hare.sample.publish.ReceiptListener;
import io.hare.sample.publish.ReceiptPublisher;
import io.hare.test.BrokerFixture;
import io.hare.testing.HareDeadLetter;
import io.hare.testing.HareTestHarness;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application against the real broker, with queue names of its own, and
 * checks that its traffic is handled and its bad payments are dead-lettered.
 */
@SpringBootTest(properties = { "sample.traffic.interval=200ms", "hare.listeners.payments.retry.delays=100ms,200ms",
		"sample.streams.enabled=false" })
@ContextConfiguration(initializers = SampleBroker.class)
@DirtiesContext
class HareSampleApplicationIT {

	@Autowired
	private BrokerFixture broker;

	@Value("${sample.prefix}")
	private String prefix;

	@Autowired
	private HareTestHarness harness;

	@Autowired
	private ReceiptPublisher receiptPublisher;

	@Autowired
	private ReceiptListener receipts;

	@Test
	void handlesOrdersAndPaymentsAndDeadLettersRefusedPayments() {
		HareTestHarness harness = this.harness.within(Duration.ofSeconds(30));
		harness.awaitHandled("orders");
		harness.awaitHandled("payments");
		HareDeadLetter dead = harness.awaitDeadLettered("payments");
		assertThat(dead.attempt()).as("the first attempt and three retries").isEqualTo(4);
		assertThat(dead.headers()).containsEntry(HareHeaders.LISTENER, "payments")
			.containsEntry(HareHeaders.EXCEPTION, IllegalStateException.class.getName())
			.containsEntry(HareHeaders.ORIGINAL_ROUTING_KEY, "payment.requested");
		assertThat(new String(dead.message().getBody())).contains("\"amount\":-1");
		assertThat(this.broker.depth(this.prefix + ".payments.dead")).as("in the broker too").isPositive();
	}

	@Test
	void publishesEachReceiptOnceAndDropsTheCopyAsADuplicate() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.receiptPublisher.duplicates() >= 3 && this.receipts.received() >= 3);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.receipts.received()).isEqualTo(this.receiptPublisher.published()));
		assertThat(this.receipts.distinctOrders()).isEqualTo(this.receipts.received());
	}

}
