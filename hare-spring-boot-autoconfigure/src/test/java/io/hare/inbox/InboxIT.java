package io.hare.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareInboxAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;
import io.hare.test.PostgresFixture;
import io.hare.test.TcpProxy;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The idempotent inbox against the real PostgreSQL and the real broker: a redelivery after a
 * lost ack, a failed handler, messages without an id, and the clean-up of old ids.
 */
class InboxIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	@AutoClose
	private final PostgresFixture database = new PostgresFixture();

	@AutoClose
	private final TcpProxy proxy = new TcpProxy(this.broker.broker().host(), this.broker.broker().port());

	private final String queue = this.broker.queue("inbox");

	private final String inbox = this.database.table("hare_inbox");

	private final String effects = this.database.table("effects");

	private ApplicationContextRunner runner() {
		this.database.jdbc().execute("CREATE TABLE IF NOT EXISTS " + this.effects + " (body VARCHAR(100) NOT NULL)");
		// The listener consumes through the proxy, so that a test can cut its connection.
		return this.broker.contextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					HareInboxAutoConfiguration.class))
			.withPropertyValues(this.database.springProperties())
			.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=" + this.proxy.port(),
					"hare.delay.enabled=false", "hare.inbox.enabled=true", "hare.inbox.table=" + this.inbox,
					"hare.inbox.initialize-schema=true", "test.queue=" + this.queue, "test.effects=" + this.effects)
			.withUserConfiguration(PaymentsConfiguration.class);
	}

	@Test
	void redeliveryAfterTheAckWasLostIsAckedWithoutRunningTheHandlerAgain() {
		runner().run((context) -> {
			PaymentHandler handler = context.getBean(PaymentHandler.class);
			// The handler's transaction commits, then the connection goes before the ack.
			handler.afterFirstCommit = () -> {
				this.proxy.cut();
				this.proxy.restore();
			};
			send("payment-1", "pay 10");
			HareInbox inbox = context.getBean(HareInbox.class);
			await().atMost(TIMEOUT).until(() -> inbox.getDuplicates() == 1);
			assertThat(handler.invocations.count()).isEqualTo(1);
			assertThat(this.database.jdbc().queryForList("SELECT body FROM " + this.effects, String.class))
				.containsExactly("pay 10");
			assertThat(this.database.count(this.inbox)).isEqualTo(1);
		});
		assertThat(this.broker.depth(this.queue)).as("acked, so not back in the queue after the close").isZero();
	}

	@Test
	void aFailedAttemptRollsBackItsIdWithTheHandlersWorkSoTheRetryRunsIt() {
		runner().withPropertyValues("hare.listeners.payments.retry.immediate=1").run((context) -> {
			PaymentHandler handler = context.getBean(PaymentHandler.class);
			handler.failures = 1;
			send("payment-2", "pay 20");
			await().atMost(TIMEOUT).until(() -> handler.invocations.count() == 2);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 0);
			assertThat(this.database.jdbc().queryForList("SELECT body FROM " + this.effects, String.class))
				.containsExactly("pay 20");
			assertThat(this.database.jdbc()
				.queryForList("SELECT message_id FROM " + this.inbox + " WHERE listener = 'payments'", String.class))
				.containsExactly("payment-2");
			assertThat(context.getBean(HareInbox.class).getDuplicates()).isZero();
		});
	}

	@Test
	void messagesWithoutAnIdAreRecordedByTheHashOfTheirDestinationAndBody() {
		runner().run((context) -> {
			PaymentHandler handler = context.getBean(PaymentHandler.class);
			HareInbox inbox = context.getBean(HareInbox.class);
			this.broker.publishWithoutProperties("", this.queue, "pay 30".getBytes(StandardCharsets.UTF_8));
			this.broker.publishWithoutProperties("", this.queue, "pay 30".getBytes(StandardCharsets.UTF_8));
			this.broker.publishWithoutProperties("", this.queue, "pay 40".getBytes(StandardCharsets.UTF_8));
			await().atMost(TIMEOUT).until(() -> handler.invocations.count() == 2 && inbox.getDuplicates() == 1);
			assertThat(handler.invocations.payloads()).containsExactly("pay 30", "pay 40");
			assertThat(this.database.jdbc().queryForList("SELECT message_id FROM " + this.inbox, String.class))
				.hasSize(2)
				.allSatisfy((id) -> assertThat(id).startsWith("sha256:").hasSize(71));
		});
	}

	@Test
	void idsOlderThanTheRetentionAreDeletedOnASchedule() {
		runner().withPropertyValues("hare.inbox.retention=1d", "hare.inbox.cleanup-interval=200ms").run((context) -> {
			JdbcTemplate jdbc = this.database.jdbc();
			jdbc.update("INSERT INTO " + this.inbox + " (listener, message_id, received_at) VALUES "
					+ "('payments', 'old', CURRENT_TIMESTAMP - INTERVAL '2' DAY), ('payments', 'new', CURRENT_TIMESTAMP)");
			await().atMost(TIMEOUT).until(() -> this.database.count(this.inbox) == 1);
			assertThat(jdbc.queryForList("SELECT message_id FROM " + this.inbox, String.class)).containsExactly("new");
		});
	}

	private void send(String messageId, String body) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
		this.broker.publish("", this.queue, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

	@Configuration(proxyBeanMethods = false)
	static class PaymentsConfiguration {

		@Bean
		PaymentHandler paymentHandler(DataSource dataSource, Environment environment) {
			return new PaymentHandler(new JdbcTemplate(dataSource), environment.getRequiredProperty("test.effects"));
		}

	}

	static class PaymentHandler {

		final Invocations invocations = new Invocations();

		private final JdbcTemplate jdbc;

		private final String effects;

		volatile Runnable afterFirstCommit = () -> {
		};

		volatile int failures;

		PaymentHandler(JdbcTemplate jdbc, String effects) {
			this.jdbc = jdbc;
			this.effects = effects;
		}

		@HareListener(id = "payments", queue = "${test.queue}", idempotent = true)
		void handle(String body) {
			this.invocations.record(body);
			this.jdbc.update("INSERT INTO " + this.effects + " (body) VALUES (?)", body);
			if (this.invocations.count() == 1) {
				// Throws unless the handler runs in a transaction.
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCommit() {
						PaymentHandler.this.afterFirstCommit.run();
					}
				});
			}
			if (this.invocations.count() <= this.failures) {
				throw new IllegalStateException("Payment service unavailable");
			}
		}

	}

}
