package io.hare.event;

/**
 * Published when a consumer of a Hare listener started, at start-up, after a resume or a
 * scale-up, and after the consumer recovered from a lost connection.
 */
public class HareConsumerStartedEvent extends HareEvent {

	private final String listenerId;

	private final String queue;

	/**
	 * Create an event.
	 * @param source the Spring AMQP container
	 * @param listenerId the listener
	 * @param queue the queue the consumer consumes
	 */
	public HareConsumerStartedEvent(Object source, String listenerId, String queue) {
		super(source);
		this.listenerId = listenerId;
		this.queue = queue;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	public String getQueue() {
		return this.queue;
	}

	@Override
	public String toString() {
		return "HareConsumerStartedEvent [listener=" + this.listenerId + ", queue=" + this.queue + "]";
	}

}
