package io.hare.event;

/**
 * Published when an operator changed the number of consumers of a listener.
 */
public class HareListenerScaledEvent extends HareOperationEvent {

	private final int from;

	private final int to;

	/**
	 * Create an event.
	 * @param source what scaled the listener
	 * @param listenerId the listener
	 * @param from the number of consumers before
	 * @param to the number of consumers now
	 */
	public HareListenerScaledEvent(Object source, String listenerId, int from, int to) {
		super(source, listenerId);
		this.from = from;
		this.to = to;
	}

	public int getFrom() {
		return this.from;
	}

	public int getTo() {
		return this.to;
	}

	@Override
	public String getOperation() {
		return "scale";
	}

	@Override
	public String toString() {
		return "HareListenerScaledEvent [listener=" + getListenerId() + ", from=" + this.from + ", to=" + this.to + "]";
	}

}
