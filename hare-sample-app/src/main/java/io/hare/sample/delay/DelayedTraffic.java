package io.hare.sample.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.hare.convert.HareMessageConverter;
import io.hare.publish.HarePublisher;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every few seconds asks for a reminder some seconds later, through the {@code reminders}
 * publisher (see application.yml) and Hare's delay levels, and for a shipment at once.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.traffic.enabled", matchIfMissing = true)
public class DelayedTraffic {

	private final HarePublisher reminders;

	private final RabbitTemplate rabbitTemplate;

	private final HareMessageConverter converter;

	private final String exchange;

	private final Duration reminderDelay;

	private final AtomicLong sequence = new AtomicLong();

	public DelayedTraffic(@Qualifier("reminders") HarePublisher reminders, RabbitTemplate rabbitTemplate,
			HareMessageConverter converter, @Value("${sample.prefix:sample}.shop") String exchange,
			@Value("${sample.delay.reminder-delay:3s}") Duration reminderDelay) {
		this.reminders = reminders;
		this.rabbitTemplate = rabbitTemplate;
		this.converter = converter;
		this.exchange = exchange;
		this.reminderDelay = reminderDelay;
	}

	@Scheduled(initialDelayString = "${sample.delay.interval:5s}", fixedDelayString = "${sample.delay.interval:5s}")
	void publish() {
		long id = this.sequence.incrementAndGet();
		Instant due = Instant.now().plus(this.reminderDelay);
		this.reminders.publish(new OrderReminder(id, due), this.reminderDelay);
		this.rabbitTemplate.send(this.exchange, "order.ship",
				this.converter.toMessage(new ShipmentRequested(id), new MessageProperties()));
	}

}
