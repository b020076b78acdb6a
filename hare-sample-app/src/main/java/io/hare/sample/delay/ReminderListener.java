package io.hare.sample.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.listener.HareListener;

import org.springframework.stereotype.Component;

/**
 * Handles reminders when they are due, and logs how late they came.
 */
@Component
public class ReminderListener {

	private static final Log logger = LogFactory.getLog(ReminderListener.class);

	private final List<Duration> lateness = new CopyOnWriteArrayList<>();

	@HareListener(id = "reminders", queue = "${sample.prefix:sample}.reminders",
			exchange = "${sample.prefix:sample}.shop", routingKey = "order.remind")
	void onReminder(OrderReminder reminder) {
		Duration late = Duration.between(reminder.due(), Instant.now());
		logger.info("Reminder for order " + reminder.orderId() + ", due " + reminder.due() + ", came "
				+ late.toMillis() + " ms later");
		this.lateness.add(late);
	}

	/**
	 * Return how late each reminder came after it was due.
	 * @return the lateness of each reminder
	 */
	public List<Duration> lateness() {
		return List.copyOf(this.lateness);
	}

}
