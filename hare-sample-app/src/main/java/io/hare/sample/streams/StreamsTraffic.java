package io.hare.sample.streams;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;

import io.hare.convert.HareMessageConverter;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Appends domain events to the stream, books tenant invoices, asks for a nightly close now
 * and then, and every tenth tick a burst of reports for the auto-scaler to absorb.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.traffic.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "sample.streams.enabled", matchIfMissing = true)
public class StreamsTraffic {

	private final RabbitTemplate rabbitTemplate;

	private final HareMessageConverter converter;

	private final TenantInvoices tenants;

	private final String prefix;

	private final int burst;

	private final AtomicLong sequence = new AtomicLong();

	public StreamsTraffic(RabbitTemplate rabbitTemplate, HareMessageConverter converter, TenantInvoices tenants,
			@Value("${sample.prefix:sample}") String prefix, @Value("${sample.traffic.report-burst:300}") int burst) {
		this.rabbitTemplate = rabbitTemplate;
		this.converter = converter;
		this.tenants = tenants;
		this.prefix = prefix;
		this.burst = burst;
	}

	@Scheduled(initialDelayString = "${sample.traffic.interval:2s}", fixedDelayString = "${sample.traffic.interval:2s}")
	void publish() {
		long tick = this.sequence.incrementAndGet();
		// Streams and queues without an exchange are reached through the default exchange.
		send(this.prefix + ".domain-events", new DomainEvent(tick, (tick % 7 == 0) ? "garbled" : "order.shipped"));
		for (String tenant : this.tenants.tenants()) {
			send(this.tenants.queue(tenant), new TenantInvoices.Invoice(tick, BigDecimal.valueOf(tick * 10)));
		}
		if (tick % 10 == 1) {
			for (int report = 0; report < this.burst; report++) {
				send(this.prefix + ".reports", new ReportWorker.ReportRequest(tick * 1_000 + report, 20));
			}
		}
		if (tick % 5 == 0) {
			send(this.prefix + ".nightly-close", "day " + tick);
		}
	}

	private void send(String queue, Object payload) {
		this.rabbitTemplate.send("", queue, this.converter.toMessage(payload, new MessageProperties()));
	}

}
