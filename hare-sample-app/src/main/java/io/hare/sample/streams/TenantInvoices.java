package io.hare.sample.streams;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListenerRegistry;
import io.hare.listener.ListenerProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Adds a listener for each tenant's invoice queue while the application runs, as a service
 * that onboards tenants would, and can take one away again.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.streams.enabled", matchIfMissing = true)
public class TenantInvoices {

	private static final Log logger = LogFactory.getLog(TenantInvoices.class);

	private final HareListenerRegistry registry;

	private final String prefix;

	private final List<String> tenants;

	private final Map<String, AtomicLong> booked = new ConcurrentHashMap<>();

	public TenantInvoices(HareListenerRegistry registry, @Value("${sample.prefix:sample}") String prefix,
			@Value("${sample.tenants:acme,globex}") List<String> tenants) {
		this.registry = registry;
		this.prefix = prefix;
		this.tenants = tenants;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onboardTenants() {
		this.tenants.forEach(this::onboard);
	}

	/**
	 * Start consuming a tenant's invoices.
	 * @param tenant the tenant
	 */
	public void onboard(String tenant) {
		ListenerProperties properties = new ListenerProperties();
		properties.getQueue().setName(queue(tenant));
		properties.setConsumers(2);
		properties.getRetry().setLimit(3);
		properties.getRetry().setDelay(Duration.ofSeconds(1));
		AtomicLong count = this.booked.computeIfAbsent(tenant, (key) -> new AtomicLong());
		this.registry.register("invoices-" + tenant, properties, Invoice.class, (invoice) -> {
			logger.info("Tenant " + tenant + " booked invoice " + invoice.number() + " of " + invoice.amount());
			count.incrementAndGet();
		});
	}

	/**
	 * Stop consuming a tenant's invoices; its queue keeps what arrives meanwhile.
	 * @param tenant the tenant
	 * @return whether the tenant had a listener
	 */
	public boolean offboard(String tenant) {
		return this.registry.remove("invoices-" + tenant);
	}

	public String queue(String tenant) {
		return this.prefix + ".invoices." + tenant;
	}

	public List<String> tenants() {
		return this.tenants;
	}

	public long booked(String tenant) {
		AtomicLong count = this.booked.get(tenant);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * An invoice of a tenant.
	 *
	 * @param number the invoice number
	 * @param amount the amount
	 */
	public record Invoice(long number, BigDecimal amount) {
	}

}
