package io.hare.event;

/**
 * Published when an operator purged a listener's dead-letter queue.
 */
public class HareDeadLettersPurgedEvent extends HareOperationEvent {

	private final int count;

	/**
	 * Create an event.
	 * @param source what purged
	 * @param listenerId the listener
	 * @param count how many dead letters were deleted
	 */
	public HareDeadLettersPurgedEvent(Object source, String listenerId, int count) {
		super(source, listenerId);
		this.count = count;
	}

	public int getCount() {
		return this.count;
	}

	@Override
	public String getOperation() {
		return "purge";
	}

	@Override
	public String toString() {
		return "HareDeadLettersPurgedEvent [listener=" + getListenerId() + ", count=" + this.count + "]";
	}

}
