package io.hare.event;

import io.hare.operations.RedriveResult;

/**
 * Published when a redrive of a listener's dead letters back to its work queue ended, with
 * how many moved and why it stopped.
 */
public class HareRedriveDoneEvent extends HareOperationEvent {

	private final RedriveResult result;

	/**
	 * Create an event.
	 * @param source what redrove
	 * @param listenerId the listener
	 * @param result what the redrive did
	 */
	public HareRedriveDoneEvent(Object source, String listenerId, RedriveResult result) {
		super(source, listenerId);
		this.result = result;
	}

	public RedriveResult getResult() {
		return this.result;
	}

	@Override
	public String getOperation() {
		return "redrive";
	}

	@Override
	public String toString() {
		return "HareRedriveDoneEvent [listener=" + getListenerId() + ", " + this.result + "]";
	}

}
