package io.hare.event;

import org.jspecify.annotations.Nullable;

/**
 * Published when the number of consumers of a listener changes, by the auto-scaler or by
 * hand through the listener registry.
 */
public class HareListenerScaledEvent extends HareEvent {

	private final String listenerId;

	private final String queue;

	private final int previousConsumers;

	private final int consumers;

	private final @Nullable Long depth;

	/**
	 * Create an event.
	 * @param source what changed the count: the auto-scaler or the registry
	 * @param listenerId the listener
	 * @param queue the queue it consumes
	 * @param previousConsumers the number of consumers before
	 * @param consumers the number of consumers now asked for
	 * @param depth the ready messages that made the auto-scaler decide, or {@code null} when
	 * the count was set by hand
	 */
	public HareListenerScaledEvent(Object source, String listenerId, String queue, int previousConsumers,
			int consumers, @Nullable Long depth) {
		super(source);
		this.listenerId = listenerId;
		this.queue = queue;
		this.previousConsumers = previousConsumers;
		this.consumers = consumers;
		this.depth = depth;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	public String getQueue() {
		return this.queue;
	}

	public int getPreviousConsumers() {
		return this.previousConsumers;
	}

	public int getConsumers() {
		return this.consumers;
	}

	/**
	 * Return the ready messages that made the auto-scaler decide.
	 * @return the depth, or {@code null} when the count was set by hand
	 */
	public @Nullable Long getDepth() {
		return this.depth;
	}

	/**
	 * Whether the auto-scaler made this change.
	 * @return {@code true} for the auto-scaler, {@code false} for a change by hand
	 */
	public boolean isAutomatic() {
		return this.depth != null;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[listener=" + this.listenerId + ", queue=" + this.queue + ", "
				+ this.previousConsumers + " -> " + this.consumers + ", depth=" + this.depth + "]";
	}

}
