package io.hare.event;

import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;
import io.hare.topology.TopologyNames;

import org.springframework.amqp.core.Message;

/**
 * Published when a message went to its listener's dead-letter queue, with the reason: its
 * retries were used up, its exception is not retryable, or it could not be decoded.
 */
public class HareMessageDeadLetteredEvent extends HareEvent {

	private final HandledMessage handled;

	private final Throwable failure;

	/**
	 * Create an event.
	 * @param source the listener
	 * @param handled the message, with a dead-lettered outcome
	 */
	public HareMessageDeadLetteredEvent(Object source, HandledMessage handled) {
		super(source);
		if (!handled.outcome().isDeadLettered() || handled.failure() == null) {
			throw new IllegalArgumentException("A dead-lettered message has a dead-lettered outcome and a failure");
		}
		this.handled = handled;
		this.failure = handled.failure();
	}

	public String getListenerId() {
		return this.handled.listenerId();
	}

	public String getQueue() {
		return this.handled.queue();
	}

	/**
	 * Return the queue the message now sits in.
	 * @return the dead-letter queue
	 */
	public String getDeadLetterQueue() {
		return TopologyNames.deadQueue(this.handled.queue());
	}

	/**
	 * Return the 1-based attempt that failed last.
	 * @return the attempt
	 */
	public int getAttempt() {
		return this.handled.attempt();
	}

	/**
	 * Return the reason: what the handler threw, or why the message could not be decoded.
	 * @return the failure
	 */
	public Throwable getFailure() {
		return this.failure;
	}

	/**
	 * Whether the message was dead-lettered because it could not be decoded.
	 * @return whether the message is undecodable
	 */
	public boolean isUndecodable() {
		return this.handled.outcome() == HandlingOutcome.DECODE_FAILED;
	}

	public Message getMessage() {
		return this.handled.message();
	}

	@Override
	public String toString() {
		return "HareMessageDeadLetteredEvent [listener=" + getListenerId() + ", attempt=" + getAttempt()
				+ ", exception=" + this.failure.getClass().getName() + "]";
	}

}
