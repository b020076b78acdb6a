package io.hare.testing;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.hare.listener.HandledMessage;
import io.hare.listener.HareListenerRegistry;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishResult;
import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.testing.ShopApplication.Order;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static io.hare.testing.HareTestHarness.messageId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The harness against the real broker: each await returns the outcome it waits for, and fails
 * naming what did happen for another; the time scale runs a 1 s, 10 s, 1 min cascade to the
 * dead letter in under two seconds.
 */
@SpringBootTest(classes = ShopApplication.class,
		properties = { "hare.test.time-scale=0.01", "hare.test.name-prefix=" + HareTestHarnessIT.PREFIX,
				"hare.publishers.orders.exchange=shop", "hare.publishers.orders.routing-key=order.created" })
@ContextConfiguration(initializers = TestBroker.class)
@DirtiesContext
class HareTestHarnessIT {

	static final String PREFIX = "hare-test-harness-${random.uuid}.";

	@Autowired
	private HareTestHarness harness;

	@Autowired
	@Qualifier("orders")
	private HarePublisher orders;

	@Autowired
	private HareListenerRegistry registry;

	@Autowired
	private BrokerFixture broker;

	@Test
	void awaitsAHandledMessageByPayloadOrMessageIdAndListsWhatWasPublished() {
		PublishResult result = this.orders.publish(new Order(1, "tea", 1));
		Order handled = this.harness.awaitHandled("orders", Order.class, (order) -> order.id() == 1);
		assertThat(handled).isEqualTo(new Order(1, "tea", 1));
		assertThat(this.harness.awaitHandled("orders", messageId(result.messageId())).attempt()).isOne();
		assertThat(this.harness.published("orders")).containsExactly(result);
		assertThat(result.exchange()).as("renamed by hare.test.name-prefix").startsWith("hare-test-harness-")
			.endsWith(".shop");
	}

	@Test
	void runsTheScaledCascadeToTheDeadLetterInUnderTwoSeconds() {
		long start = System.nanoTime();
		String id = this.orders.publish(new Order(2, "out-of-stock", 1)).messageId();
		assertThat(this.harness.awaitRetried("orders", 1, messageId(id)).retryDelay()).isEqualTo(Duration.ofMillis(10));
		assertThat(this.harness.awaitRetried("orders", 2, messageId(id)).retryDelay())
			.isEqualTo(Duration.ofMillis(100));
		assertThat(this.harness.awaitRetried("orders", 3, messageId(id)).retryDelay())
			.isEqualTo(Duration.ofMillis(600));
		HareDeadLetter dead = this.harness.awaitDeadLettered("orders", messageId(id));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(dead.attempt()).isEqualTo(4);
		assertThat(dead.exception()).isEqualTo(IllegalStateException.class.getName());
		assertThat(dead.exceptionMessage()).isEqualTo("out of stock: order 2");
		assertThat(dead.headers()).containsEntry(HareHeaders.ATTEMPT, 4)
			.containsEntry(HareHeaders.LISTENER, "orders")
			.containsEntry(HareHeaders.ORIGINAL_ROUTING_KEY, "order.created");
		assertThat(dead.deadLetterQueue()).isEqualTo(this.registry.getListener("orders").orElseThrow()
			.getTopology()
			.deadQueue());
		assertThat(this.broker.depth(dead.deadLetterQueue())).as("the dead letter is in the broker").isOne();
	}

	@Test
	void awaitHandledFailsNamingTheExceptionAMatchingMessageWasDeadLetteredWith() {
		String id = this.orders.publish(new Order(3, "tea", 0)).messageId();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.harness.awaitHandled("orders", messageId(id)))
			.withMessageContaining("Expected Hare listener 'orders' to handle a matching message")
			.withMessageContaining("handled 0 times")
			.withMessageContaining("attempt 1 failed (java.lang.IllegalArgumentException: no quantity in order 3), "
					+ "dead-lettered");
	}

	@Test
	void awaitRetriedFailsNamingHowOftenAMatchingMessageWasHandled() {
		String id = this.orders.publish(new Order(4, "tea", 1)).messageId();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.harness.awaitRetried("orders", 1, messageId(id)))
			.withMessageContaining("a matching message ended otherwise: attempt 1 handled")
			.withMessageContaining("handled 1 time");
	}

	@Test
	void awaitDeadLetteredFailsNamingTheRetryBeforeTheSuccess() {
		String id = this.orders.publish(new Order(5, "flaky", 1)).messageId();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.harness.awaitDeadLettered("orders", messageId(id)))
			.withMessageContaining("handled 1 time; attempt 1 failed (java.lang.IllegalStateException: out of stock: "
					+ "order 5), retried after PT0.01S");
	}

	@Test
	void awaitFailsAfterItsTimeoutNamingWhatIsStillInTheQueue() {
		this.registry.pause("orders");
		try {
			this.orders.publish(new Order(6, "tea", 1));
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.harness.within(Duration.ofMillis(300)).awaitHandled("orders"))
				.withMessageContaining("it did not within PT0.3S")
				.withMessageContaining("it received no message")
				.withMessageContaining("still in queue '" + this.registry.getListener("orders").orElseThrow()
					.getTopology()
					.queue() + "': 1 ready message(s)");
		}
		finally {
			this.registry.resume("orders");
		}
		HandledMessage handled = this.harness.awaitHandled("orders");
		assertThat(handled.attempt()).isOne();
	}

	@Test
	void awaitFailsAtOnceForAnUnknownListener() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.harness.awaitHandled("order"))
			.withMessage("No Hare listener has id 'order'; known: [orders]");
	}

	@Test
	void scalesADelayedPublishButKeepsTheDelayLevelsWholeSeconds() {
		long start = System.nanoTime();
		PublishResult result = this.orders.publish(new Order(7, "tea", 1), Duration.ofSeconds(100));
		this.harness.within(Duration.ofSeconds(5)).awaitHandled("orders", messageId(result.messageId()));
		// 100 s scaled by 0.01 is 1 s: the levels' resolution.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1),
				Duration.ofSeconds(3));
	}

}
