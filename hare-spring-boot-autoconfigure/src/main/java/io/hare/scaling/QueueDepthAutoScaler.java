package io.hare.scaling;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.event.HareListenerScaledEvent;

import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;

/**
 * Sets the number of consumers of one listener container from the depth of its queue, read
 * every check interval: {@code clamp(ceil(depth / messagesPerConsumer), min, max)}. A depth
 * that cannot be read keeps the count. A lower count is applied only once the scale-down
 * cooldown confirms it, and Spring AMQP then lets a stopped consumer finish the messages it
 * already holds, so scaling down redelivers nothing.
 */
public class QueueDepthAutoScaler {

	private static final Log logger = LogFactory.getLog(QueueDepthAutoScaler.class);

	private final String listenerId;

	private final String queue;

	private final AutoScalingPolicy policy;

	private final QueueDepthReader reader;

	private final SimpleMessageListenerContainer container;

	private final TaskScheduler scheduler;

	private final ApplicationEventPublisher eventPublisher;

	private final ScaleDownCooldown cooldown;

	private volatile int desiredConsumers;

	private volatile long lastDepth = -1;

	private volatile int lastOtherConsumers;

	private volatile boolean lastReadFailed;

	private @Nullable ScheduledFuture<?> checks;

	private boolean running;

	/**
	 * Create a scaler, not started; it sets the container's concurrency to the initial count
	 * kept within the policy's bounds.
	 * @param listenerId the listener, for messages and events
	 * @param queue the queue whose depth is read
	 * @param policy the sizing policy, valid
	 * @param reader reads the depth
	 * @param container the container whose consumers are set
	 * @param initialConsumers the count to start with
	 * @param scheduler runs the checks
	 * @param eventPublisher publishes a {@link HareListenerScaledEvent} on every change
	 */
	public QueueDepthAutoScaler(String listenerId, String queue, AutoScalingPolicy policy, QueueDepthReader reader,
			SimpleMessageListenerContainer container, int initialConsumers, TaskScheduler scheduler,
			ApplicationEventPublisher eventPublisher) {
		this(listenerId, queue, policy, reader, container, initialConsumers, scheduler, eventPublisher,
				Clock.systemUTC());
	}

	QueueDepthAutoScaler(String listenerId, String queue, AutoScalingPolicy policy, QueueDepthReader reader,
			SimpleMessageListenerContainer container, int initialConsumers, TaskScheduler scheduler,
			ApplicationEventPublisher eventPublisher, Clock clock) {
		Assert.hasText(listenerId, "'listenerId' must not be empty");
		Assert.hasText(queue, "'queue' must not be empty");
		Assert.notNull(policy, "'policy' must not be null");
		policy.validate();
		Assert.notNull(reader, "'reader' must not be null");
		Assert.notNull(container, "'container' must not be null");
		Assert.notNull(scheduler, "'scheduler' must not be null");
		Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
		this.listenerId = listenerId;
		this.queue = queue;
		this.policy = policy;
		this.reader = reader;
		this.container = container;
		this.scheduler = scheduler;
		this.eventPublisher = eventPublisher;
		this.cooldown = new ScaleDownCooldown(policy.scaleDownCooldown(), clock);
		this.desiredConsumers = policy.clamp(initialConsumers);
		container.setConcurrentConsumers(this.desiredConsumers);
	}

	/**
	 * Start checking the depth every check interval.
	 */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		scheduleNextCheck();
	}

	/**
	 * Stop checking; the container keeps the count it has.
	 */
	public synchronized void stop() {
		this.running = false;
		if (this.checks != null) {
			this.checks.cancel(false);
			this.checks = null;
		}
		this.cooldown.clear();
	}

	public synchronized boolean isRunning() {
		return this.running;
	}

	private synchronized void scheduleNextCheck() {
		if (!this.running) {
			return;
		}
		Duration interval = this.policy.checkInterval();
		// Instances of a cluster-aware listener wait a little more or less each time, so that
		// they do not keep reading the same depth at the same moment.
		Duration delay = interval;
		if (this.policy.clusterAware()) {
			double factor = ThreadLocalRandom.current().nextDouble(0.75, 1.25);
			delay = Duration.ofMillis(Math.max(1, Math.round(interval.toMillis() * factor)));
		}
		try {
			this.checks = this.scheduler.schedule(() -> {
				check();
				scheduleNextCheck();
			}, this.scheduler.getClock().instant().plus(delay));
		}
		catch (TaskRejectedException ex) {
			// The scheduler shuts down with the application.
			this.running = false;
		}
	}

	/**
	 * Read the depth and apply the target now; never throws, so that the checks go on.
	 */
	void check() {
		try {
			doCheck();
		}
		catch (RuntimeException ex) {
			logger.warn("Hare auto-scaler of listener '" + this.listenerId + "' failed a check of queue '"
					+ this.queue + "': " + ex, ex);
		}
	}

	private synchronized void doCheck() {
		if (!this.running) {
			return;
		}
		QueueInformation information;
		try {
			information = this.reader.read(this.queue);
		}
		catch (RuntimeException ex) {
			readFailed(String.valueOf(ex.getMessage()));
			return;
		}
		if (information == null) {
			readFailed("the queue does not exist");
			return;
		}
		if (this.lastReadFailed) {
			logger.info("Hare auto-scaler of listener '" + this.listenerId + "' reads the depth of queue '"
					+ this.queue + "' again");
			this.lastReadFailed = false;
		}
		long depth = information.getMessageCount();
		int own = this.container.getActiveConsumerCount();
		int others = Math.max(0, information.getConsumerCount() - own);
		int target = this.policy.target(depth, own, others);
		this.lastDepth = depth;
		this.lastOtherConsumers = others;
		int highestRecent = this.cooldown.record(target);
		int current = this.desiredConsumers;
		int next = (target >= current) ? target : Math.min(current, highestRecent);
		if (next != current) {
			apply(current, next, depth, others);
		}
	}

	private void apply(int current, int next, long depth, int others) {
		this.container.setConcurrentConsumers(next);
		this.desiredConsumers = next;
		logger.info("Hare listener '" + this.listenerId + "' scales from " + current + " to " + next
				+ " consumer(s): queue '" + this.queue + "' has " + depth + " ready message(s)"
				+ (this.policy.clusterAware() ? " and " + others + " consumer(s) elsewhere" : ""));
		this.eventPublisher
			.publishEvent(new HareListenerScaledEvent(this, this.listenerId, this.queue, current, next, depth));
	}

	private void readFailed(String reason) {
		if (!this.lastReadFailed) {
			logger.warn("Hare auto-scaler of listener '" + this.listenerId + "' cannot read the depth of queue '"
					+ this.queue + "' and keeps " + this.desiredConsumers + " consumer(s): " + reason);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Hare auto-scaler of listener '" + this.listenerId + "' still cannot read the depth of queue '"
					+ this.queue + "': " + reason);
		}
		this.lastReadFailed = true;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	public String getQueue() {
		return this.queue;
	}

	public AutoScalingPolicy getPolicy() {
		return this.policy;
	}

	/**
	 * Return the number of consumers the scaler asked the container for.
	 * @return the desired consumers
	 */
	public int getDesiredConsumers() {
		return this.desiredConsumers;
	}

	/**
	 * Return the number of consumers the container runs now.
	 * @return the actual consumers
	 */
	public int getActualConsumers() {
		return this.container.getActiveConsumerCount();
	}

	public int getMinConsumers() {
		return this.policy.minConsumers();
	}

	public int getMaxConsumers() {
		return this.policy.maxConsumers();
	}

	/**
	 * Return the ready messages of the last successful read.
	 * @return the depth, or -1 before the first successful read
	 */
	public long getLastDepth() {
		return this.lastDepth;
	}

	/**
	 * Return the consumers other instances had on the queue at the last successful read;
	 * always counted, used only when the policy is cluster-aware.
	 * @return the other consumers
	 */
	public int getLastOtherConsumers() {
		return this.lastOtherConsumers;
	}

	/**
	 * Whether the last read of the depth failed, so that the count was kept.
	 * @return whether the last read failed
	 */
	public boolean isLastReadFailed() {
		return this.lastReadFailed;
	}

}
