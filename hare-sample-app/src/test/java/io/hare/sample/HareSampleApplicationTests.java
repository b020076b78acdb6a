package io.hare.sample;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;
import io.hare.sample.publish.ReceiptListener;
import io.hare.sample.publish.ReceiptPublisher;
import io.hare.test.BrokerFixture;
import io.hare.test.RabbitBroker;

import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application against the real broker, with queue names of its own, and
 * checks that its traffic is handled and its bad payments are dead-lettered.
 */
@SpringBootTest(properties = { "sample.traffic.interval=200ms", "hare.listeners.payments.retry.delays=100ms,200ms" })
class HareSampleApplicationTests {

	private static final BrokerFixture broker = new BrokerFixture();

	private static final String prefix = BrokerFixture.uniqueName("sample");

	@Autowired
	private OrderListener orders;

	@Autowired
	private PaymentListener payments;

	@Autowired
	private ReceiptPublisher receiptPublisher;

	@Autowired
	private ReceiptListener receipts;

	@DynamicPropertySource
	static void brokerProperties(DynamicPropertyRegistry registry) {
		RabbitBroker rabbit = RabbitBroker.get();
		registry.add("spring.rabbitmq.host", rabbit::host);
		registry.add("spring.rabbitmq.port", rabbit::port);
		registry.add("spring.rabbitmq.username", rabbit::username);
		registry.add("spring.rabbitmq.password", rabbit::password);
		registry.add("spring.rabbitmq.virtual-host", rabbit::virtualHost);
		registry.add("sample.prefix", () -> prefix);
		broker.track(prefix + ".orders");
		broker.track(prefix + ".payments");
		broker.track(prefix + ".receipts");
		broker.trackExchange(prefix + ".shop");
	}

	@AfterAll
	static void deleteTopology() {
		broker.close();
	}

	@Test
	void handlesOrdersAndPaymentsAndDeadLettersRefusedPayments() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.orders.handled() >= 5 && this.payments.taken() >= 4);
		Message dead = broker.receive(prefix + ".payments.dead", Duration.ofSeconds(30));
		assertThat(dead).isNotNull();
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 4)
			.containsEntry(HareHeaders.LISTENER, "payments")
			.containsEntry(HareHeaders.EXCEPTION, IllegalStateException.class.getName())
			.containsEntry(HareHeaders.ORIGINAL_ROUTING_KEY, "payment.requested");
		assertThat(new String(dead.getBody())).contains("\"amount\":-1");
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
