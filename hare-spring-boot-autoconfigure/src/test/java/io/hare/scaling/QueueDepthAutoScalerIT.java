package io.hare.scaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hare.event.HareListenerScaledEvent;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the decisions of {@link QueueDepthAutoScaler}, checked by hand on a clock the
 * test moves; the container is never started, so only its concurrency setting is used.
 */
class QueueDepthAutoScalerIT {

	private final MutableClock clock = new MutableClock();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 1);

	private final SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(
			this.connectionFactory);

	private final List<HareListenerScaledEvent> events = new CopyOnWriteArrayList<>();

	private volatile long depth;

	private volatile int brokerConsumers;

	private volatile boolean readFails;

	QueueDepthAutoScalerIT() {
		this.scheduler.initialize();
	}

	@AfterEach
	void close() {
		this.scheduler.shutdown();
		this.connectionFactory.destroy();
	}

	private QueueDepthAutoScaler scaler(int min, int max, Duration cooldown, boolean clusterAware) {
		// An hour between checks: this test calls check() itself.
		AutoScalingPolicy policy = new AutoScalingPolicy(min, max, 10, Duration.ofHours(1), cooldown, clusterAware);
		QueueDepthReader reader = (queue) -> {
			if (this.readFails) {
				throw new AmqpConnectException(new java.net.ConnectException("refused"));
			}
			return new QueueInformation(queue, this.depth, this.brokerConsumers);
		};
		QueueDepthAutoScaler scaler = new QueueDepthAutoScaler("work", "work-queue", policy, reader, this.container, 1,
				this.scheduler, (event) -> this.events.add((HareListenerScaledEvent) event), this.clock);
		scaler.start();
		return scaler;
	}

	private void checkAfter(QueueDepthAutoScaler scaler, Duration elapsed) {
		this.clock.advance(elapsed);
		scaler.check();
	}

	@Test
	void scalesUpAtOnceAndPublishesTheChange() {
		QueueDepthAutoScaler scaler = scaler(1, 10, Duration.ofSeconds(10), false);
		this.depth = 45;
		scaler.check();
		assertThat(scaler.getDesiredConsumers()).isEqualTo(5);
		assertThat(scaler.getLastDepth()).isEqualTo(45);
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.getPreviousConsumers()).isEqualTo(1);
			assertThat(event.getConsumers()).isEqualTo(5);
			assertThat(event.getDepth()).isEqualTo(45);
			assertThat(event.isAutomatic()).isTrue();
		});
	}

	@Test
	void scalesDownOnlyOnceEveryReadOfTheCooldownAskedForFewer() {
		QueueDepthAutoScaler scaler = scaler(1, 10, Duration.ofSeconds(10), false);
		this.depth = 80;
		scaler.check();
		assertThat(scaler.getDesiredConsumers()).isEqualTo(8);
		this.depth = 0;
		checkAfter(scaler, Duration.ofSeconds(4));
		this.depth = 75;
		checkAfter(scaler, Duration.ofSeconds(4));
		this.depth = 0;
		checkAfter(scaler, Duration.ofSeconds(4));
		assertThat(scaler.getDesiredConsumers()).as("a noisy depth does not flap").isEqualTo(8);
		checkAfter(scaler, Duration.ofSeconds(4));
		assertThat(scaler.getDesiredConsumers()).as("75 ready within the cooldown").isEqualTo(8);
		checkAfter(scaler, Duration.ofSeconds(4));
		assertThat(scaler.getDesiredConsumers()).isEqualTo(1);
		assertThat(this.events).extracting(HareListenerScaledEvent::getConsumers).containsExactly(8, 1);
	}

	@Test
	void scalesDownStepByStepToTheHighestTargetOfTheCooldown() {
		QueueDepthAutoScaler scaler = scaler(1, 10, Duration.ofSeconds(5), false);
		this.depth = 100;
		scaler.check();
		this.depth = 50;
		checkAfter(scaler, Duration.ofSeconds(3));
		this.depth = 20;
		checkAfter(scaler, Duration.ofSeconds(3));
		assertThat(scaler.getDesiredConsumers()).isEqualTo(5);
		checkAfter(scaler, Duration.ofSeconds(3));
		assertThat(scaler.getDesiredConsumers()).isEqualTo(2);
	}

	@Test
	void withoutCooldownScalesDownAtOnce() {
		QueueDepthAutoScaler scaler = scaler(2, 10, Duration.ZERO, false);
		this.depth = 100;
		scaler.check();
		this.depth = 0;
		checkAfter(scaler, Duration.ofMillis(200));
		assertThat(scaler.getDesiredConsumers()).isEqualTo(2);
	}

	@Test
	void aFailedReadKeepsTheCount() {
		QueueDepthAutoScaler scaler = scaler(1, 10, Duration.ZERO, false);
		this.depth = 60;
		scaler.check();
		this.depth = 0;
		this.readFails = true;
		checkAfter(scaler, Duration.ofSeconds(1));
		checkAfter(scaler, Duration.ofSeconds(1));
		assertThat(scaler.isLastReadFailed()).isTrue();
		assertThat(scaler.getDesiredConsumers()).isEqualTo(6);
		this.readFails = false;
		checkAfter(scaler, Duration.ofSeconds(1));
		assertThat(scaler.isLastReadFailed()).isFalse();
		assertThat(scaler.getDesiredConsumers()).isEqualTo(1);
	}

	@Test
	void aMissingQueueKeepsTheCount() {
		QueueDepthReader missing = (queue) -> null;
		QueueDepthAutoScaler scaler = new QueueDepthAutoScaler("work", "work-queue",
				new AutoScalingPolicy(1, 10, 10, Duration.ofHours(1), Duration.ZERO, false), missing, this.container, 4,
				this.scheduler, (event) -> this.events.add((HareListenerScaledEvent) event), this.clock);
		scaler.start();
		scaler.check();
		assertThat(scaler.getDesiredConsumers()).isEqualTo(4);
		assertThat(scaler.isLastReadFailed()).isTrue();
		assertThat(this.events).isEmpty();
	}

	@Test
	void clusterAwareTakesItsShareOfTheTarget() {
		QueueDepthAutoScaler scaler = scaler(1, 10, Duration.ZERO, true);
		this.depth = 80;
		// The container is not started, so every consumer the broker counts is another instance's.
		this.brokerConsumers = 3;
		scaler.check();
		assertThat(scaler.getDesiredConsumers()).as("ceil(8 * 1 / 4)").isEqualTo(2);
		assertThat(scaler.getLastOtherConsumers()).isEqualTo(3);
	}

	@Test
	void startsWithTheInitialCountKeptWithinBoundsAndStopsChecking() {
		QueueDepthAutoScaler scaler = new QueueDepthAutoScaler("work", "work-queue",
				new AutoScalingPolicy(2, 4, 10, Duration.ofHours(1), Duration.ZERO, false),
				(queue) -> new QueueInformation(queue, 1_000, 0), this.container, 9, this.scheduler,
				(event) -> this.events.add((HareListenerScaledEvent) event), this.clock);
		assertThat(scaler.getDesiredConsumers()).isEqualTo(4);
		scaler.start();
		assertThat(scaler.isRunning()).isTrue();
		scaler.stop();
		scaler.check();
		assertThat(scaler.isRunning()).isFalse();
		assertThat(this.events).isEmpty();
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2024-05-01T08:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
