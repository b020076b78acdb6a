package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.event.HareListenerScaledEvent;
import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link HareListenerRegistry} against the real broker: listeners registered and removed at
 * run time, consumer counts changed, listeners paused and resumed.
 */
class HareListenerRegistryIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("tenant");

	private final ApplicationContextRunner runner = this.broker.contextRunner()
		.withPropertyValues("test.queue=" + this.queue)
		.withUserConfiguration(ScaledEventsConfiguration.class);

	private ListenerProperties properties() {
		ListenerProperties properties = new ListenerProperties();
		properties.getQueue().setName(this.queue);
		properties.getRetry().setDelay(Duration.ofMillis(200));
		return properties;
	}

	/**
	 * Return the consumers the broker lists for a queue.
	 */
	private long brokerConsumers(String queue) {
		return this.broker.broker()
			.ctl("list_consumers", "queue_name")
			.lines()
			.filter((line) -> line.trim().equals(queue))
			.count();
	}

	@Test
	void registersAListenerAtRunTimeThatReceivesThenRemovesItsConsumersFromTheBroker() {
		this.runner.run((context) -> {
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			Invocations invocations = new Invocations();
			ListenerProperties properties = properties();
			properties.setConsumers(2);
			HareListenerContainer listener = registry.register("tenant-42", properties, Invoice.class,
					invocations::record);
			assertThat(registry.getListener("tenant-42")).containsSame(listener);
			this.broker.publishJson("", this.queue, "{\"number\":7,\"amount\":12.5}");
			await().atMost(TIMEOUT).until(() -> invocations.count() == 1);
			assertThat(invocations.payloads()).containsExactly(new Invoice(7, 12.5));
			await().atMost(TIMEOUT).until(() -> brokerConsumers(this.queue) == 2);

			assertThat(registry.remove("tenant-42")).isTrue();
			assertThat(brokerConsumers(this.queue)).isZero();
			assertThat(registry.getListener("tenant-42")).isEmpty();
			assertThat(registry.remove("tenant-42")).isFalse();
			this.broker.publishJson("", this.queue, "{\"number\":8,\"amount\":1}");
			assertThat(this.broker.depth(this.queue)).as("the queue and its messages stay").isEqualTo(1);
			assertThat(invocations.count()).isEqualTo(1);
		});
	}

	@Test
	void appliesPropertiesAndRetriesToAListenerRegisteredAtRunTime() {
		this.runner.withPropertyValues("hare.listeners.tenant-43.retry.limit=1").run((context) -> {
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			Invocations invocations = new Invocations();
			registry.register("tenant-43", properties(), String.class, (payload) -> {
				invocations.record(payload);
				throw new IllegalStateException("always fails");
			});
			this.broker.publishJson("", this.queue, "\"hello\"");
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 2)
				.containsEntry(HareHeaders.LISTENER, "tenant-43")
				.containsEntry(HareHeaders.EXCEPTION_MESSAGE, "always fails");
			assertThat(invocations.count()).as("the first attempt and one retry").isEqualTo(2);
		});
	}

	@Test
	void deadLettersAPayloadTheHandlerTypeCannotDecode() {
		this.runner.run((context) -> {
			Invocations invocations = new Invocations();
			context.getBean(HareListenerRegistry.class).register("tenant-44", properties(), Invoice.class, invocations::record);
			this.broker.publishJson("", this.queue, "{not json");
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 1);
			assertThat(invocations.count()).isZero();
		});
	}

	@Test
	void startsManyListenersRegisteredBeforeStartEachConsumingItsQueue() {
		List<String> queues = fleetQueues();
		fleetRunner().withUserConfiguration(FleetConfiguration.class)
			.withPropertyValues("test.fleet=" + String.join(",", queues))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<String> bodies = queues.stream().map((queue) -> "\"" + queue + "\"").toList();
				bodies.forEach((body) -> this.broker.publishJson("", body.replace("\"", ""), body));
				Invocations invocations = context.getBean(Invocations.class);
				await().atMost(TIMEOUT).until(() -> invocations.count() == queues.size());
				// A String payload is the body as it came.
				assertThat(invocations.payloads()).containsExactlyInAnyOrderElementsOf(bodies);
			});
	}

	@Test
	void failsStartupNamingTheOneOfManyListenersWhoseQueueConflicts() {
		List<String> queues = fleetQueues();
		this.broker.admin().declareQueue(QueueBuilder.durable(queues.get(7)).ttl(60_000).build());
		fleetRunner().withUserConfiguration(FleetConfiguration.class)
			.withPropertyValues("test.fleet=" + String.join(",", queues), "hare.listeners.fleet-7.queue.message-ttl=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("Hare listener 'fleet-7'")
					.hasStackTraceContaining("'" + queues.get(7) + "'")
					.hasStackTraceContaining("x-message-ttl");
			});
	}

	// With Hare's events, whose listeners read the registry while its listeners start.
	private ApplicationContextRunner fleetRunner() {
		return this.broker.contextRunner(HareOperationsAutoConfiguration.class);
	}

	private List<String> fleetQueues() {
		return IntStream.range(0, 12).mapToObj((index) -> this.broker.queue("fleet")).toList();
	}

	@Test
	void refusesASecondListenerWithTheSameId() {
		this.runner.run((context) -> {
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			registry.register("tenant-45", properties(), String.class, (payload) -> {
			});
			assertThatIllegalStateException()
				.isThrownBy(() -> registry.register("tenant-45", properties(), String.class, (payload) -> {
				}))
				.withMessageContaining("'tenant-45'");
		});
	}

	@Test
	void changesTheConsumerCountOnTheBrokerAndPublishesAnEvent() {
		this.runner.run((context) -> {
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			HareListenerContainer listener = registry.register("tenant-46", properties(), String.class, (payload) -> {
			});
			await().atMost(TIMEOUT).until(() -> brokerConsumers(this.queue) == 1);
			registry.setConsumers("tenant-46", 3);
			await().atMost(TIMEOUT).until(() -> brokerConsumers(this.queue) == 3);
			assertThat(listener.getDesiredConsumers()).isEqualTo(3);
			assertThat(listener.getActualConsumers()).isEqualTo(3);
			registry.setConsumers("tenant-46", 1);
			await().atMost(TIMEOUT).until(() -> brokerConsumers(this.queue) == 1);
			List<HareListenerScaledEvent> events = context.getBean(ScaledEvents.class).events;
			assertThat(events).extracting(HareListenerScaledEvent::getPreviousConsumers,
					HareListenerScaledEvent::getConsumers)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(1, 3), org.assertj.core.groups.Tuple.tuple(3, 1));
			assertThat(events).allSatisfy((event) -> {
				assertThat(event.isAutomatic()).isFalse();
				assertThat(event.getListenerId()).isEqualTo("tenant-46");
				assertThat(event.getQueue()).isEqualTo(this.queue);
			});
			assertThatIllegalArgumentException().isThrownBy(() -> registry.setConsumers("tenant-46", 0));
			assertThatIllegalArgumentException().isThrownBy(() -> registry.setConsumers("nobody", 2))
				.withMessageContaining("'nobody'");
		});
	}

	@Test
	void resizingUnderSteadyTrafficRedeliversNothing() {
		this.runner.run((context) -> {
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			Set<String> seen = ConcurrentHashMap.newKeySet();
			AtomicInteger duplicates = new AtomicInteger();
			AtomicInteger redelivered = new AtomicInteger();
			// The backlog waits in the queue before the listener starts, so that it flows throughout.
			this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
			// Enough that, with acks batched, the queue still drains across many switches.
			int total = 30_000;
			for (int id = 0; id < total; id++) {
				MessageProperties properties = new MessageProperties();
				properties.setMessageId(String.valueOf(id));
				this.broker.template().send("", this.queue, new Message(new byte[] { 1 }, properties));
			}
			ListenerProperties properties = properties();
			properties.setPrefetch(20);
			registry.register("tenant-48", properties, Message.class, (message) -> {
				if (Boolean.TRUE.equals(message.getMessageProperties().getRedelivered())) {
					redelivered.incrementAndGet();
				}
				if (!seen.add(message.getMessageProperties().getMessageId())) {
					duplicates.incrementAndGet();
				}
			});
			// Switch between 4 consumers and 1 every 50 ms while the queue drains: each switch down
			// cancels three consumers with deliveries on their way to them, and their acks held back.
			AtomicInteger switches = new AtomicInteger();
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
				registry.setConsumers("tenant-48", (switches.incrementAndGet() % 2 == 0) ? 1 : 4);
				return seen.size() == total;
			});
			assertThat(switches.get()).as("the count changed while messages flowed").isGreaterThan(4);
			assertThat(duplicates.get()).isZero();
			assertThat(redelivered.get()).isZero();
		});
	}

	@Test
	void pausedListenerLeavesMessagesInTheQueueUntilResumed() {
		this.runner.run((context) -> {
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			Invocations invocations = new Invocations();
			HareListenerContainer listener = registry.register("tenant-47", properties(), Invoice.class,
					invocations::record);
			await().atMost(TIMEOUT).until(() -> brokerConsumers(this.queue) == 1);
			registry.pause("tenant-47");
			assertThat(listener.isPaused()).isTrue();
			assertThat(brokerConsumers(this.queue)).isZero();
			this.broker.publishJson("", this.queue, "{\"number\":9,\"amount\":3}");
			assertThat(this.broker.depth(this.queue)).isEqualTo(1);
			registry.resume("tenant-47");
			await().atMost(TIMEOUT).until(() -> invocations.count() == 1);
			assertThat(listener.isPaused()).isFalse();
			assertThat(invocations.payloads()).containsExactly(new Invoice(9, 3));
		});
	}

	@Test
	void consumersIsAnAliasOfConcurrency() {
		this.runner.withUserConfiguration(AnnotatedConfiguration.class)
			.withPropertyValues("hare.listeners.annotated.consumers=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
					.getListener("annotated")
					.orElseThrow();
				assertThat(listener.getSettings().concurrency()).isEqualTo(3);
				await().atMost(TIMEOUT).until(() -> brokerConsumers(this.queue) == 3);
			});
	}

	@Test
	void failsStartupWhenConsumersAndConcurrencyDisagree() {
		this.runner.withUserConfiguration(AnnotatedConfiguration.class)
			.withPropertyValues("hare.listeners.annotated.consumers=3", "hare.listeners.annotated.concurrency=2")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("hare.listeners.annotated.consumers")
					.hasStackTraceContaining("alias of concurrency");
			});
	}

	@Test
	void failsStartupWhenTheAnnotationSetsConsumersAndConcurrencyApart() {
		this.runner.withUserConfiguration(ConflictingConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("@HareListener(consumers) on ")
				.hasStackTraceContaining("alias of concurrency");
		});
	}

	record Invoice(int number, double amount) {
	}

	static class ScaledEvents implements ApplicationListener<HareListenerScaledEvent> {

		final List<HareListenerScaledEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(HareListenerScaledEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ScaledEventsConfiguration {

		@Bean
		ScaledEvents scaledEvents() {
			return new ScaledEvents();
		}

	}

	/**
	 * Listeners registered before the registry starts, as annotated ones are, so that they
	 * start together.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FleetConfiguration {

		@Bean
		Invocations invocations() {
			return new Invocations();
		}

		@Bean
		SmartInitializingSingleton fleet(HareListenerRegistry registry, Invocations invocations,
				@Value("${test.fleet}") String[] queues) {
			return () -> {
				for (int i = 0; i < queues.length; i++) {
					ListenerProperties properties = new ListenerProperties();
					properties.getQueue().setName(queues[i]);
					registry.register("fleet-" + i, properties, String.class, invocations::record);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedConfiguration {

		@Bean
		AnnotatedListener annotatedListener() {
			return new AnnotatedListener();
		}

	}

	static class AnnotatedListener {

		@HareListener(id = "annotated", queue = "${test.queue}", concurrency = 1)
		void on(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConflictingConfiguration {

		@Bean
		ConflictingListener conflictingListener() {
			return new ConflictingListener();
		}

	}

	static class ConflictingListener {

		@HareListener(id = "conflicting", queue = "${test.queue}", concurrency = 2, consumers = 4)
		void on(String payload) {
		}

	}

}
