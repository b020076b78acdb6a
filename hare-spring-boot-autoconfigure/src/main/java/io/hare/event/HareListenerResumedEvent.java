package io.hare.event;

/**
 * Published when a paused listener was resumed.
 */
public class HareListenerResumedEvent extends HareOperationEvent {

	public HareListenerResumedEvent(Object source, String listenerId) {
		super(source, listenerId);
	}

	@Override
	public String getOperation() {
		return "resume";
	}

}
