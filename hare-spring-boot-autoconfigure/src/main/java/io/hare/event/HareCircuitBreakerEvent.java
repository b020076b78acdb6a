package io.hare.event;

/**
 * Published when a listener's circuit breaker changed state: {@code open} (the listener stopped
 * consuming after too many failures), {@code half_open} (it consumes a few messages on trial)
 * or {@code closed} (it consumes again).
 */
public class HareCircuitBreakerEvent extends HareEvent {

	private final String listenerId;

	private final String from;

	private final String to;

	public HareCircuitBreakerEvent(Object source, String listenerId, String from, String to) {
		super(source);
		this.listenerId = listenerId;
		this.from = from;
		this.to = to;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	public String getFrom() {
		return this.from;
	}

	public String getTo() {
		return this.to;
	}

	@Override
	public String toString() {
		return "HareCircuitBreakerEvent[listener=" + this.listenerId + ", " + this.from + " -> " + this.to + "]";
	}

}
