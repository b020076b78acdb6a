package io.hare.event;

import io.hare.topology.TopologyNames;

import org.springframework.amqp.core.Message;

/**
 * Published when a message went to its listener's dead-letter queue, with the reason: its
 * retries were used up, its exception is not retryable, or it could not be decoded.
 */
public class HareMessageDeadLetteredEvent extends HareEvent {

	private final String listenerId;

	private final String queue;

	private final int attempt;

	private final Throwable failure;

	private final boolean undecodable;

	private final Message message;

	/**
	 * Create an event.
	 * @param source the listener
	 * @param listenerId the listener's id
	 * @param queue the queue the message came from
	 * @param attempt the 1-based attempt that failed last
	 * @param failure what the handler threw, or why the message could not be decoded
	 * @param undecodable whether the message could not be decoded
	 * @param message the message as the handler received it (the copy Hare sent carries the
	 * reason headers)
	 */
	public HareMessageDeadLetteredEvent(Object source, String listenerId, String queue, int attempt,
			Throwable failure, boolean undecodable, Message message) {
		super(source);
		this.listenerId = listenerId;
		this.queue = queue;
		this.attempt = attempt;
		this.failure = failure;
		this.undecodable = undecodable;
		this.message = message;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	public String getQueue() {
		return this.queue;
	}

	/**
	 * Return the queue the message now sits in.
	 * @return the dead-letter queue
	 */
	public String getDeadLetterQueue() {
		return TopologyNames.deadQueue(this.queue);
	}

	/**
	 * Return the 1-based attempt that failed last.
	 * @return the attempt
	 */
	public int getAttempt() {
		return this.attempt;
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
		return this.undecodable;
	}

	public Message getMessage() {
		return this.message;
	}

	@Override
	public String toString() {
		return "HareMessageDeadLetteredEvent [listener=" + this.listenerId + ", attempt=" + this.attempt
				+ ", exception=" + this.failure.getClass().getName() + "]";
	}

}
