package io.hare.event;

/**
 * Published when a listener was paused: it stopped consuming, its queue keeps filling.
 */
public class HareListenerPausedEvent extends HareOperationEvent {

	public HareListenerPausedEvent(Object source, String listenerId) {
		super(source, listenerId);
	}

	@Override
	public String getOperation() {
		return "pause";
	}

}
