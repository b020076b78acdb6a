package io.hare.event;

import java.time.Duration;

import io.hare.listener.HandledMessage;

import org.springframework.amqp.core.Message;

/**
 * Published when a message whose handling failed went to a delay queue for another attempt.
 */
public class HareMessageRetriedEvent extends HareEvent {

	private final HandledMessage handled;

	private final Duration delay;

	private final Throwable failure;

	/**
	 * Create an event.
	 * @param source the listener
	 * @param handled the message, with an outcome of
	 * {@link io.hare.listener.HandlingOutcome#RETRIED RETRIED}
	 */
	public HareMessageRetriedEvent(Object source, HandledMessage handled) {
		super(source);
		if (handled.retryDelay() == null || handled.failure() == null) {
			throw new IllegalArgumentException("A retried message has a delay and a failure");
		}
		this.handled = handled;
		this.delay = handled.retryDelay();
		this.failure = handled.failure();
	}

	public String getListenerId() {
		return this.handled.listenerId();
	}

	public String getQueue() {
		return this.handled.queue();
	}

	/**
	 * Return the 1-based attempt that failed.
	 * @return the attempt
	 */
	public int getAttempt() {
		return this.handled.attempt();
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
		return this.handled.message();
	}

	@Override
	public String toString() {
		return "HareMessageRetriedEvent [listener=" + getListenerId() + ", attempt=" + getAttempt() + ", delay="
				+ this.delay + ", exception=" + this.failure.getClass().getName() + "]";
	}

}
