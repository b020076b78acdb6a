package io.hare.event;

import java.time.Duration;

import org.springframework.amqp.core.Message;

/**
 * Published when a message whose handling failed went to a delay queue for another attempt.
 */
public class HareMessageRetriedEvent extends HareEvent {

	private final String listenerId;

	private final String queue;

	private final int attempt;

	private final Duration delay;

	private final Throwable failure;

	private final Message message;

	/**
	 * Create an event.
	 * @param source the listener
	 * @param listenerId the listener's id
	 * @param queue the queue the message came from
	 * @param attempt the 1-based attempt that failed
	 * @param delay how long the message waits before its next attempt
	 * @param failure what the handler threw
	 * @param message the message as the handler received it (the copy Hare sent carries the
	 * reason headers)
	 */
	public HareMessageRetriedEvent(Object source, String listenerId, String queue, int attempt, Duration delay,
			Throwable failure, Message message) {
		super(source);
		this.listenerId = listenerId;
		this.queue = queue;
		this.attempt = attempt;
		this.delay = delay;
		this.failure = failure;
		this.message = message;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	public String getQueue() {
		return this.queue;
	}

	/**
	 * Return the 1-based attempt that failed.
	 * @return the attempt
	 */
	public int getAttempt() {
		return this.attempt;
	}

	/**
	 * Return how long the message waits before its next attempt.
	 * @return the delay
	 */
	public Duration getDelay() {
		return this.delay;
	}

	public Throwable getFailure() {
		return this.failure;
	}

	public Message getMessage() {
		return this.message;
	}

	@Override
	public String toString() {
		return "HareMessageRetriedEvent [listener=" + this.listenerId + ", attempt=" + this.attempt + ", delay="
				+ this.delay + ", exception=" + this.failure.getClass().getName() + "]";
	}

}
