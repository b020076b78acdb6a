package io.hare.event;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;
import io.hare.listener.HareListener;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerObserver;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hare's application events, from a real listener on the real broker.
 */
class HareEventsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("events");

	private final String connectionName = "hare-events-test-" + UUID.randomUUID();

	private ApplicationContextRunner runner() {
		return this.broker.contextRunner(HareOperationsAutoConfiguration.class)
			.withPropertyValues("test.queue=" + this.queue)
			.withBean(ConnectionNameStrategy.class, () -> (factory) -> this.connectionName)
			.withUserConfiguration(EventsConfiguration.class);
	}

	@Test
	void publishesRetriedThenDeadLetteredWithAttemptDelayAndReason() {
		runner().run((context) -> {
			Events events = context.getBean(Events.class);
			this.broker.publishJson("", this.queue, "fail");
			await().atMost(TIMEOUT).until(() -> !events.of(HareMessageDeadLetteredEvent.class).isEmpty());
			assertThat(events.of(HareMessageRetriedEvent.class)).singleElement().satisfies((retried) -> {
				assertThat(retried.getListenerId()).isEqualTo("events");
				assertThat(retried.getQueue()).isEqualTo(this.queue);
				assertThat(retried.getAttempt()).isEqualTo(1);
				assertThat(retried.getDelay()).isEqualTo(Duration.ofMillis(100));
				assertThat(retried.getFailure()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
			});
			assertThat(events.of(HareMessageDeadLetteredEvent.class)).singleElement().satisfies((dead) -> {
				assertThat(dead.getAttempt()).isEqualTo(2);
				assertThat(dead.getDeadLetterQueue()).isEqualTo(this.queue + ".dead");
				assertThat(dead.isUndecodable()).isFalse();
				assertThat(new String(dead.getMessage().getBody())).isEqualTo("fail");
			});
			this.broker.publishJson("", this.queue, "ok");
			await().atMost(TIMEOUT).until(() -> context.getBean(EventsListener.class).calls.get() == 3);
			assertThat(events.of(HareMessageRetriedEvent.class)).hasSize(1);
			assertThat(events.of(HareMessageDeadLetteredEvent.class)).hasSize(1);
		});
	}

	@Test
	void aUserObserverSeesTheListenerAndEveryHandledMessage() {
		runner().withBean(RecordingObserver.class, RecordingObserver::new).run((context) -> {
			RecordingObserver observer = context.getBean(RecordingObserver.class);
			assertThat(observer.created).containsExactly("events");
			this.broker.publishJson("", this.queue, "ok");
			this.broker.publishJson("", this.queue, "fail");
			await().atMost(TIMEOUT).until(() -> observer.handled.size() == 3);
			assertThat(observer.handled).extracting(HandledMessage::outcome)
				.containsExactlyInAnyOrder(HandlingOutcome.SUCCESS, HandlingOutcome.RETRIED,
						HandlingOutcome.DEAD_LETTERED);
			assertThat(observer.handled).filteredOn((handled) -> handled.outcome() == HandlingOutcome.DEAD_LETTERED)
				.singleElement()
				.satisfies((handled) -> {
					assertThat(handled.attempt()).isEqualTo(2);
					assertThat(handled.failure()).hasMessage("boom");
					assertThat(handled.duration()).isPositive();
				});
		});
	}

	@Test
	void publishesConsumerStartedAndConnectionConnectedThenLostWhenTheBrokerClosesIt() {
		runner().run((context) -> {
			Events events = context.getBean(Events.class);
			await().atMost(TIMEOUT).until(() -> !events.of(HareConsumerStartedEvent.class).isEmpty());
			assertThat(events.of(HareConsumerStartedEvent.class).get(0).getListenerId()).isEqualTo("events");
			assertThat(events.of(HareConsumerStartedEvent.class).get(0).getQueue()).isEqualTo(this.queue);
			await().atMost(TIMEOUT).until(() -> !events.of(HareConnectionConnectedEvent.class).isEmpty());
			assertThat(events.of(HareConnectionConnectedEvent.class).get(0).getConnectionName()).isEqualTo("default");
			closeConnection(this.connectionName);
			await().atMost(TIMEOUT).until(() -> !events.of(HareConnectionLostEvent.class).isEmpty());
			// Another test on the shared broker may close every connection first; either is a forced close.
			assertThat(events.of(HareConnectionLostEvent.class).get(0).getReason()).contains("CONNECTION_FORCED");
			// The container reconnects and its consumer starts again.
			await().atMost(TIMEOUT).until(() -> events.of(HareConnectionConnectedEvent.class).size() >= 2);
			await().atMost(TIMEOUT).until(() -> events.of(HareConsumerStartedEvent.class).size() >= 2);
		});
	}

	@Test
	void publishesConnectionFailedWhileTheBrokerCannotBeReached() {
		runner().withPropertyValues("spring.rabbitmq.port=1").run((context) -> {
			Events events = context.getBean(Events.class);
			await().atMost(TIMEOUT).until(() -> !events.of(HareConnectionFailedEvent.class).isEmpty());
			assertThat(events.of(HareConnectionFailedEvent.class).get(0).getConnectionName()).isEqualTo("default");
			assertThat(events.of(HareConnectionConnectedEvent.class)).isEmpty();
		});
	}

	private void closeConnection(String name) {
		List<String> pids = this.broker.broker()
			.ctl("list_connections", "pid", "client_properties")
			.lines()
			.filter((line) -> line.contains(name))
			.map((line) -> line.substring(0, line.indexOf('\t')))
			.toList();
		assertThat(pids).isNotEmpty();
		pids.forEach((pid) -> this.broker.broker().ctl("close_connection", pid, "hare events test"));
	}

	static class Events {

		final List<HareEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(HareEvent event) {
			this.events.add(event);
		}

		<E extends HareEvent> List<E> of(Class<E> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).toList();
		}

	}

	static class RecordingObserver implements HareListenerObserver {

		final List<String> created = new CopyOnWriteArrayList<>();

		final List<HandledMessage> handled = new CopyOnWriteArrayList<>();

		@Override
		public void listenerCreated(HareListenerContainer listener) {
			this.created.add(listener.getId());
		}

		@Override
		public void messageHandled(HandledMessage message) {
			this.handled.add(message);
		}

	}

	static class EventsListener {

		final AtomicInteger calls = new AtomicInteger();

		@HareListener(id = "events", queue = "${test.queue}", retryLimit = 1, delay = "100ms")
		void on(String payload) {
			this.calls.incrementAndGet();
			if (payload.equals("fail")) {
				throw new IllegalStateException("boom");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventsConfiguration {

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		EventsListener eventsListener() {
			return new EventsListener();
		}

	}

}
