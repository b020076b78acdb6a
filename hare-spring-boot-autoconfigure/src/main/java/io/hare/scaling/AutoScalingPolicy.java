package io.hare.scaling;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How the auto-scaler sizes a listener: one consumer per {@code messagesPerConsumer} ready
 * messages, kept within {@code [minConsumers, maxConsumers]}.
 *
 * @param minConsumers the fewest consumers, at least 1
 * @param maxConsumers the most consumers, at least {@code minConsumers}
 * @param messagesPerConsumer the ready messages one consumer is expected to handle
 * @param checkInterval how often the depth is read
 * @param scaleDownCooldown how long a lower target must hold before the count goes down:
 * the scaler scales down only to the highest target it computed within this window
 * @param clusterAware whether consumers of other instances on the same queue count toward
 * the target, so that the instances together reach it (see {@link #target(long, int, int)})
 */
public record AutoScalingPolicy(int minConsumers, int maxConsumers, int messagesPerConsumer, Duration checkInterval,
		Duration scaleDownCooldown, boolean clusterAware) {

	/**
	 * The messages per consumer used when none is set.
	 */
	public static final int DEFAULT_MESSAGES_PER_CONSUMER = 100;

	/**
	 * The check interval used when none is set.
	 */
	public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

	public AutoScalingPolicy {
		Assert.notNull(checkInterval, "'checkInterval' must not be null");
		Assert.notNull(scaleDownCooldown, "'scaleDownCooldown' must not be null");
	}

	/**
	 * Create a policy with the default messages per consumer and check interval, a
	 * scale-down cooldown of {@linkplain #defaultCooldown(Duration) two intervals}, not
	 * cluster-aware.
	 * @param minConsumers the fewest consumers
	 * @param maxConsumers the most consumers
	 * @return the policy
	 */
	public static AutoScalingPolicy between(int minConsumers, int maxConsumers) {
		return new AutoScalingPolicy(minConsumers, maxConsumers, DEFAULT_MESSAGES_PER_CONSUMER,
				DEFAULT_CHECK_INTERVAL, defaultCooldown(DEFAULT_CHECK_INTERVAL), false);
	}

	/**
	 * Return the scale-down cooldown used when none is set: two check intervals, so that two
	 * reads in a row must ask for fewer consumers before any is stopped.
	 * @param checkInterval the check interval
	 * @return the cooldown
	 */
	public static Duration defaultCooldown(Duration checkInterval) {
		return checkInterval.multipliedBy(2);
	}

	/**
	 * Check the values, throwing a message that names the first bad one.
	 * @throws IllegalArgumentException if a value is out of range
	 */
	public void validate() {
		Assert.isTrue(this.minConsumers >= 1, "'minConsumers' must be at least 1");
		Assert.isTrue(this.maxConsumers >= this.minConsumers, "'maxConsumers' must be at least 'minConsumers'");
		Assert.isTrue(this.messagesPerConsumer >= 1, "'messagesPerConsumer' must be at least 1");
		Assert.isTrue(this.checkInterval.toMillis() > 0, "'checkInterval' must be positive");
		Assert.isTrue(!this.scaleDownCooldown.isNegative(), "'scaleDownCooldown' must not be negative");
	}

	/**
	 * Return the number of consumers this instance should run.
	 * <p>
	 * The queue needs {@code ceil(depth / messagesPerConsumer)} consumers in all. When
	 * {@link #clusterAware()} and other consumers are on the queue, this instance takes its
	 * share of that total in proportion to the consumers it runs: {@code ceil(total * ours /
	 * (ours + others))}. Repeated, this settles where the instances together run the total,
	 * that is at the total minus the others' consumers, as subtracting them at once would;
	 * but unlike subtracting, instances that read the same depth at the same moment do not
	 * all scale up for the same messages, then all down, and so on.
	 * @param depth the ready messages in the queue
	 * @param ownConsumers the consumers this instance runs
	 * @param otherConsumers consumers of other instances on the queue; ignored unless
	 * {@link #clusterAware()}
	 * @return the target, within {@code [minConsumers, maxConsumers]}
	 */
	public int target(long depth, int ownConsumers, int otherConsumers) {
		long ready = Math.max(depth, 0);
		long wanted = ready / this.messagesPerConsumer + ((ready % this.messagesPerConsumer != 0) ? 1 : 0);
		if (this.clusterAware && otherConsumers > 0) {
			wanted = Math.min(wanted, Integer.MAX_VALUE);
			long own = Math.max(ownConsumers, 1);
			wanted = (wanted * own + own + otherConsumers - 1) / (own + otherConsumers);
		}
		return clamp(wanted);
	}

	/**
	 * Return the given count kept within {@code [minConsumers, maxConsumers]}.
	 * @param consumers a number of consumers
	 * @return the count, clamped
	 */
	public int clamp(long consumers) {
		return (int) Math.min(Math.max(consumers, this.minConsumers), this.maxConsumers);
	}

}
