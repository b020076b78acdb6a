package io.hare.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A delayed message survives a restart of the broker application. This test stops the shared
 * broker for a few seconds: run it alone ({@code -Dtest=DelayedDeliveryBrokerRestartIT}).
 */
// Runs after every other test class: it stops the broker (see junit-platform.properties).
@Order(Integer.MAX_VALUE)
class DelayedDeliveryBrokerRestartIT {

	@AutoClose
	private final DelayLevelsFixture levels = new DelayLevelsFixture();

	private final BrokerFixture broker = this.levels.broker();

	private final String queue = this.broker.queue("restart");

	private final String exchange = this.broker.exchange("restart");

	@Test
	void delayedMessageSurvivesBrokerStopAppAndStartApp() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin().declareExchange(new DirectExchange(this.exchange));
		this.broker.admin()
			.declareBinding(new Binding(this.queue, DestinationType.QUEUE, this.exchange, "remind", null));
		this.broker.contextRunner(HareDelayAutoConfiguration.class)
			.withPropertyValues(this.levels.prefixProperty())
			.run((context) -> {
				MessageProperties properties = new MessageProperties();
				properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
				// Long enough for the restart to finish while the message still waits in a level.
				DelayedMessage sent = context.getBean(HareDelayedSender.class)
					.send(this.exchange, "remind",
							new Message("survives".getBytes(StandardCharsets.UTF_8), properties),
							Duration.ofSeconds(30));
				assertThat(this.levels.nonEmptyQueues()).containsExactly(this.levels.topology().levelQueue(4));
				this.broker.broker().ctl("stop_app");
				this.broker.broker().ctl("start_app");
				this.broker.broker().ctl("await_startup");
				await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.until(() -> !this.levels.nonEmptyQueues().isEmpty());
				assertThat(Instant.now()).as("restarted before the message was due").isBefore(sent.due());
				AtomicReference<Message> delivered = new AtomicReference<>();
				await().atMost(Duration.ofSeconds(60))
					.ignoreExceptions()
					.until(() -> {
						delivered.set(this.broker.receive(this.queue, Duration.ofSeconds(1)));
						return delivered.get() != null;
					});
				assertThat(Instant.now()).isAfterOrEqualTo(sent.due());
				assertThat(new String(delivered.get().getBody(), StandardCharsets.UTF_8)).isEqualTo("survives");
			});
	}

}
