package io.hare.sample.orders;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.hare.outbox.HareOutbox;
import io.hare.sample.OrderListener;
import io.hare.sample.SampleBroker;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The sample's order service against the real PostgreSQL and broker: a placed order is stored
 * and its event reaches the orders listener through the outbox; a refused order leaves neither
 * a row nor an event.
 */
@SpringBootTest(properties = "sample.traffic.enabled=false")
@ContextConfiguration(initializers = SampleBroker.class)
@DirtiesContext
class OrderServiceIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Autowired
	private OrderService orderService;

	@Autowired
	private OrderRepository orders;

	@Autowired
	private OrderListener listener;

	@Autowired
	private HareOutbox outbox;

	@Autowired
	private JdbcTemplate jdbc;

	@Value("${sample.orders.outbox-table}")
	private String outboxTable;

	@Test
	void aPlacedOrderIsStoredAndItsEventSentThroughTheOutboxAfterTheCommit() {
		long id = this.orderService.place("book", 2);
		assertThat(this.orders.exists(id)).isTrue();
		await().atMost(TIMEOUT).until(() -> this.listener.hasHandled(id));
		await().atMost(TIMEOUT).until(() -> outboxRows() == 0);
		assertThat(this.outbox.getStatistics().sent()).isPositive();
	}

	@Test
	void aRefusedOrderRollsBackItsRowAndItsEvent() {
		long before = this.orders.count();
		assertThatIllegalArgumentException().isThrownBy(() -> this.orderService.place("pallet", 1000));
		assertThat(this.orders.count()).isEqualTo(before);
		assertThat(outboxRows()).as("nothing stored to send").isZero();
		// A later order arrives alone: the refused one was never sent.
		long next = this.orderService.place("book", 1);
		await().atMost(TIMEOUT).until(() -> this.listener.hasHandled(next));
		// The refused insert took the id before: an identity is not given back on a rollback.
		assertThat(this.listener.hasHandled(next - 1)).as("the refused order's event").isFalse();
	}

	private long outboxRows() {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.outboxTable, Long.class);
		return (count != null) ? count : 0;
	}

}
