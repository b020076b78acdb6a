package io.hare.sample;

import java.util.List;

import io.hare.test.BrokerFixture;
import io.hare.test.PostgresFixture;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Points a sample test's application at the test broker under a {@code sample.prefix} of its
 * own and at the test database with orders and outbox tables of its own, and makes the
 * {@link BrokerFixture} that deletes the sample's topology under that prefix and the
 * {@link PostgresFixture} that drops its tables beans. Use it with
 * {@code @ContextConfiguration(initializers = SampleBroker.class)}.
 */
public final class SampleBroker implements ApplicationContextInitializer<GenericApplicationContext> {

	private static final List<String> QUEUES = List.of("orders", "payments", "receipts", "reminders", "shipping",
			"domain-events", "domain-events.failed", "reports", "nightly-close");

	private static final String[] DEFAULT_TENANTS = { "acme", "globex" };

	@Override
	public void initialize(GenericApplicationContext context) {
		BrokerFixture broker = new BrokerFixture();
		String prefix = BrokerFixture.uniqueName("sample");
		TestPropertyValues.of(broker.broker().springProperties()).and("sample.prefix=" + prefix).applyTo(context);
		PostgresFixture database = new PostgresFixture();
		TestPropertyValues.of(database.springProperties())
			.and("sample.orders.table=" + database.table("sample_orders"),
					"sample.orders.outbox-table=" + database.table("sample_outbox"))
			.applyTo(context);
		// Registered first, so closed last: after the outbox relay stopped.
		context.registerBean(PostgresFixture.class, () -> database,
				(definition) -> definition.setDestroyMethodName("close"));
		// The whole sample's topology, whichever of its parts a test switches off.
		QUEUES.forEach((queue) -> broker.track(prefix + "." + queue));
		// TenantInvoices' own default when a test names no tenants.
		String[] tenants = context.getEnvironment().getProperty("sample.tenants", String[].class, DEFAULT_TENANTS);
		for (String tenant : tenants) {
			broker.track(prefix + ".invoices." + tenant);
		}
		broker.trackExchange(prefix + ".shop");
		broker.trackDelayLevels(prefix + ".delay");
		// A bean, so that it is closed with the context, after its containers and scheduled
		// traffic stopped: a running container declares its queues again when they are deleted.
		context.registerBean(BrokerFixture.class, () -> broker, (definition) -> definition.setDestroyMethodName("close"));
	}

}
