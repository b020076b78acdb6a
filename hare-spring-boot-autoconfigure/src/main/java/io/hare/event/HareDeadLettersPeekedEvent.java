package io.hare.event;

/**
 * Published when an operator looked at the first dead letters of a listener; they stay in
 * the dead-letter queue.
 */
public class HareDeadLettersPeekedEvent extends HareOperationEvent {

	private final int count;

	/**
	 * Create an event.
	 * @param source what peeked
	 * @param listenerId the listener
	 * @param count how many dead letters were shown
	 */
	public HareDeadLettersPeekedEvent(Object source, String listenerId, int count) {
		super(source, listenerId);
		this.count = count;
	}

	public int getCount() {
		return this.count;
	}

	@Override
	public String getOperation() {
		return "peek";
	}

}
