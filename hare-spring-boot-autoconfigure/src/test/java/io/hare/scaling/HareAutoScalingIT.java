package io.hare.scaling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.event.HareListenerScaledEvent;
import io.hare.listener.HareListener;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-scaler against the real broker: a held backlog scales a listener to the computed
 * target, a drained queue back to the minimum, a failed read keeps the count, and a
 * scale-down redelivers nothing.
 */
class HareAutoScalingIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("work");

	private ApplicationContextRunner runner(String... autoScaling) {
		return this.broker.contextRunner()
			.withPropertyValues("test.queue=" + this.queue, "hare.listeners.work.auto-scaling.check-interval=200ms")
			.withPropertyValues(autoScaling)
			.withUserConfiguration(WorkConfiguration.class);
	}

	private void publishJobs(int from, int to) {
		for (int id = from; id <= to; id++) {
			this.broker.publishJson("", this.queue, "{\"id\":" + id + "}");
		}
	}

	/**
	 * Return ready, unacknowledged and consumers of the queue, as the broker counts them.
	 */
	private int[] queueState() {
		String line = this.broker.broker()
			.ctl("list_queues", "name", "messages_ready", "messages_unacknowledged", "consumers")
			.lines()
			.filter((candidate) -> candidate.startsWith(this.queue + "\t"))
			.findFirst()
			.orElseThrow();
		String[] columns = line.split("\t");
		return new int[] { Integer.parseInt(columns[1].trim()), Integer.parseInt(columns[2].trim()),
				Integer.parseInt(columns[3].trim()) };
	}

	private static HareListenerContainer work(AssertableApplicationContext context) {
		return context.getBean(HareListenerRegistry.class).getListener("work").orElseThrow();
	}

	@Test
	void scalesAHeldBacklogUpToTheComputedTargetThenDrainedBackToMin() {
		runner("hare.listeners.work.prefetch=1", "hare.listeners.work.auto-scaling.max-consumers=8",
				"hare.listeners.work.auto-scaling.messages-per-consumer=10",
				"hare.listeners.work.auto-scaling.scale-down-cooldown=400ms")
			.run((context) -> {
				Jobs jobs = context.getBean(Jobs.class);
				HareListenerContainer listener = work(context);
				QueueDepthAutoScaler scaler = listener.getAutoScaler().orElseThrow();
				assertThat(listener.getDesiredConsumers()).isOne();
				try {
					publishJobs(1, 30);
					// Each consumer holds one message: with n consumers 30 - n are ready, and
					// ceil((30 - n) / 10) = 3 for n = 1..3.
					await().atMost(TIMEOUT).until(() -> listener.getDesiredConsumers() == 3
							&& listener.getActualConsumers() == 3 && queueState()[2] == 3);
					await().during(Duration.ofMillis(800)).atMost(TIMEOUT)
						.until(() -> listener.getDesiredConsumers() == 3);
					assertThat(scaler.getLastDepth()).isEqualTo(27);
					jobs.gate.release(1_000);
					await().atMost(TIMEOUT).until(() -> jobs.handled.size() == 30);
					await().atMost(TIMEOUT).until(() -> listener.getDesiredConsumers() == 1
							&& listener.getActualConsumers() == 1 && queueState()[2] == 1);
				}
				finally {
					jobs.gate.release(1_000);
				}
				List<HareListenerScaledEvent> events = context.getBean(ScaledEvents.class).events;
				// A check during the publishing may have seen part of the backlog and scaled to 2 first.
				assertThat(events).filteredOn((event) -> event.getConsumers() == 3).first().satisfies((event) -> {
					assertThat(event.getListenerId()).isEqualTo("work");
					assertThat(event.getQueue()).isEqualTo(this.queue);
					assertThat(event.getPreviousConsumers()).isLessThan(3);
					assertThat(event.getDepth()).isBetween(21L, 29L);
				});
				assertThat(events).last().extracting(HareListenerScaledEvent::getConsumers).isEqualTo(1);
				assertThat(events).allSatisfy((event) -> assertThat(event.getConsumers()).isBetween(1, 8));
			});
	}

	@Test
	void neverLeavesMinAndMax() {
		runner("hare.listeners.work.prefetch=1", "hare.listeners.work.auto-scaling.min-consumers=2",
				"hare.listeners.work.auto-scaling.max-consumers=4",
				"hare.listeners.work.auto-scaling.messages-per-consumer=5",
				"hare.listeners.work.auto-scaling.scale-down-cooldown=0s")
			.run((context) -> {
				Jobs jobs = context.getBean(Jobs.class);
				HareListenerContainer listener = work(context);
				List<Integer> observed = new CopyOnWriteArrayList<>();
				assertThat(listener.getDesiredConsumers()).as("starts at min").isEqualTo(2);
				try {
					publishJobs(1, 60);
					await().atMost(TIMEOUT).until(() -> {
						observed.add(listener.getDesiredConsumers());
						return listener.getActualConsumers() == 4;
					});
					await().during(Duration.ofMillis(800)).atMost(TIMEOUT).until(() -> {
						observed.add(listener.getDesiredConsumers());
						return listener.getDesiredConsumers() == 4;
					});
					jobs.gate.release(1_000);
					await().atMost(TIMEOUT).until(() -> {
						observed.add(listener.getDesiredConsumers());
						return jobs.handled.size() == 60 && listener.getDesiredConsumers() == 2;
					});
					await().during(Duration.ofMillis(800)).atMost(TIMEOUT).until(() -> {
						observed.add(listener.getDesiredConsumers());
						return listener.getActualConsumers() == 2;
					});
				}
				finally {
					jobs.gate.release(1_000);
				}
				assertThat(observed).allSatisfy((count) -> assertThat(count).isBetween(2, 4));
				assertThat(context.getBean(ScaledEvents.class).events)
					.allSatisfy((event) -> assertThat(event.getConsumers()).isBetween(2, 4));
			});
	}

	@Test
	void scaleDownLetsStoppedConsumersFinishTheirMessagesAndRedeliversNothing() {
		// The cooldown lets the 40 messages go through before the scaler may scale down, so that it
		// does so once, with every consumer holding five.
		runner("hare.listeners.work.prefetch=5", "hare.listeners.work.auto-scaling.max-consumers=3",
				"hare.listeners.work.auto-scaling.messages-per-consumer=10",
				"hare.listeners.work.auto-scaling.scale-down-cooldown=1s")
			.run((context) -> {
				Jobs jobs = context.getBean(Jobs.class);
				HareListenerContainer listener = work(context);
				try {
					publishJobs(1, 60);
					// Three consumers hold five messages each; 45 are ready.
					await().atMost(TIMEOUT).until(() -> listener.getActualConsumers() == 3 && queueState()[1] == 15);
					// Let 40 through: 15 stay held and 5 ready, so the target drops to 1.
					jobs.gate.release(40);
					await().atMost(TIMEOUT).until(() -> jobs.handled.size() == 40);
					await().atMost(TIMEOUT).until(() -> listener.getDesiredConsumers() == 1);
					HareListenerScaledEvent scaleDown = context.getBean(ScaledEvents.class).events.stream()
						.filter((event) -> event.getConsumers() < event.getPreviousConsumers())
						.findFirst()
						.orElseThrow();
					assertThat(scaleDown.getPreviousConsumers()).isEqualTo(3);
					assertThat(scaleDown.getDepth()).isEqualTo(5);
					// The two cancelled consumers still hold their ten messages: nothing went back.
					assertThat(queueState()).containsExactly(5, 15, 1);
					jobs.gate.release(1_000);
					await().atMost(TIMEOUT).until(() -> jobs.handled.size() == 60);
					await().atMost(TIMEOUT).until(() -> queueState()[1] == 0);
				}
				finally {
					jobs.gate.release(1_000);
				}
				assertThat(jobs.handled).hasSize(60).allSatisfy((id, count) -> assertThat(count.get()).isOne());
				assertThat(jobs.redelivered).isEmpty();
				assertThat(queueState()).containsExactly(0, 0, 1);
			});
	}

	@Test
	void clusterAwareInstancesTogetherReachTheTargetInsteadOfEachReachingIt() {
		ApplicationContextRunner runner = runner("hare.listeners.work.prefetch=1",
				"hare.listeners.work.auto-scaling.max-consumers=6",
				"hare.listeners.work.auto-scaling.messages-per-consumer=10",
				"hare.listeners.work.auto-scaling.scale-down-cooldown=400ms",
				"hare.listeners.work.auto-scaling.cluster-aware=true");
		runner.run((first) -> runner.run((second) -> {
			Jobs firstJobs = first.getBean(Jobs.class);
			Jobs secondJobs = second.getBean(Jobs.class);
			try {
				publishJobs(1, 40);
				// With n consumers in all, 40 - n are ready and ceil((40 - n) / 10) = 4 for n = 1..10.
				// Each alone would run 4.
				await().atMost(TIMEOUT).until(() -> queueState()[2] == 4 && work(first).getActualConsumers()
						+ work(second).getActualConsumers() == 4);
				await().during(Duration.ofSeconds(1)).atMost(TIMEOUT).until(() -> queueState()[2] == 4);
			}
			finally {
				firstJobs.gate.release(1_000);
				secondJobs.gate.release(1_000);
			}
			await().atMost(TIMEOUT).until(() -> firstJobs.handled.size() + secondJobs.handled.size() == 40);
		}));
	}

	@Test
	void aFailedDepthReadDoesNotScaleDown() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		CachingConnectionFactory connectionFactory = this.broker.broker().connectionFactory();
		// Nothing listens on port 1: reads through this admin fail as with a broker that is down.
		CachingConnectionFactory unreachable = new CachingConnectionFactory("127.0.0.1", 1);
		RabbitAdmin down = new RabbitAdmin(unreachable);
		Semaphore gate = new Semaphore(0);
		AtomicInteger handled = new AtomicInteger();
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(this.queue);
		container.setPrefetchCount(1);
		container.setMessageListener((message) -> {
			gate.acquireUninterruptibly();
			handled.incrementAndGet();
		});
		container.afterPropertiesSet();
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		List<HareListenerScaledEvent> events = new CopyOnWriteArrayList<>();
		Map<String, Boolean> readFails = new ConcurrentHashMap<>(Map.of("fails", false));
		QueueDepthReader reader = (name) -> (readFails.get("fails") ? down : this.broker.admin()).getQueueInfo(name);
		QueueDepthAutoScaler scaler = new QueueDepthAutoScaler("work", this.queue,
				new AutoScalingPolicy(1, 5, 10, Duration.ofMillis(200), Duration.ZERO, false), reader, container, 1,
				scheduler, (event) -> events.add((HareListenerScaledEvent) event));
		try {
			// The backlog is there before the first check, so that the scaler goes from 1 to 4 at once.
			publishJobs(1, 40);
			container.start();
			scaler.start();
			await().atMost(TIMEOUT).until(() -> scaler.getDesiredConsumers() == 4 && scaler.getActualConsumers() == 4);
			readFails.put("fails", true);
			gate.release(1_000);
			await().atMost(TIMEOUT).until(() -> handled.get() == 40 && scaler.isLastReadFailed());
			await().during(Duration.ofSeconds(1)).atMost(TIMEOUT)
				.until(() -> scaler.getDesiredConsumers() == 4 && scaler.getActualConsumers() == 4);
			readFails.put("fails", false);
			await().atMost(TIMEOUT).until(() -> scaler.getDesiredConsumers() == 1 && scaler.getActualConsumers() == 1);
			assertThat(scaler.isLastReadFailed()).isFalse();
			assertThat(events).extracting(HareListenerScaledEvent::getConsumers).containsExactly(4, 1);
		}
		finally {
			gate.release(1_000);
			scaler.stop();
			container.destroy();
			scheduler.shutdown();
			connectionFactory.destroy();
			unreachable.destroy();
		}
	}

	@Test
	void failsStartupNamingTheKeyWhenMinExceedsMax() {
		runner("hare.listeners.work.auto-scaling.min-consumers=5", "hare.listeners.work.auto-scaling.max-consumers=2")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("hare.listeners.work.auto-scaling.max-consumers")
					.hasStackTraceContaining("must be at least auto-scaling.min-consumers (5)");
			});
	}

	@Test
	void failsStartupNamingTheKeyOfZeroMessagesPerConsumer() {
		runner("hare.listeners.work.auto-scaling.max-consumers=2",
				"hare.listeners.work.auto-scaling.messages-per-consumer=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("hare.listeners.work.auto-scaling.messages-per-consumer");
			});
	}

	@Test
	void failsStartupWhenEnabledWithoutMaxConsumers() {
		runner("hare.listeners.work.auto-scaling.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("hare.listeners.work.auto-scaling.enabled")
				.hasStackTraceContaining("needs max-consumers");
		});
	}

	@Test
	void isOffUnlessMaxConsumersIsSetOrItIsEnabled() {
		runner("hare.listeners.work.auto-scaling.min-consumers=3").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(work(context).getAutoScaler()).isEmpty();
		});
		runner("hare.listeners.work.auto-scaling.max-consumers=3", "hare.listeners.work.auto-scaling.enabled=false")
			.run((context) -> assertThat(work(context).getAutoScaler()).isEmpty());
	}

	@Test
	void refusesToResizeAnAutoScaledListenerByHand() {
		runner("hare.listeners.work.auto-scaling.max-consumers=3").run((context) -> {
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			org.assertj.core.api.Assertions.assertThatIllegalStateException()
				.isThrownBy(() -> registry.setConsumers("work", 2))
				.withMessageContaining("hare.listeners.work.auto-scaling");
		});
	}

	record Job(int id) {
	}

	static class Jobs {

		final Semaphore gate = new Semaphore(0);

		final Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();

		final List<Integer> redelivered = new CopyOnWriteArrayList<>();

		@HareListener(id = "work", queue = "${test.queue}", delay = "200ms")
		void onJob(Job job, MessageProperties properties) {
			if (Boolean.TRUE.equals(properties.getRedelivered())) {
				this.redelivered.add(job.id());
			}
			this.gate.acquireUninterruptibly();
			this.handled.computeIfAbsent(job.id(), (id) -> new AtomicInteger()).incrementAndGet();
		}

	}

	static class ScaledEvents implements ApplicationListener<HareListenerScaledEvent> {

		final List<HareListenerScaledEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(HareListenerScaledEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkConfiguration {

		@Bean
		Jobs jobs() {
			return new Jobs();
		}

		@Bean
		ScaledEvents scaledEvents() {
			return new ScaledEvents();
		}

	}

}
