package io.hare.event;

/**
 * Base class of the events published when an operator acts on a listener (pause, resume,
 * scale, peek, redrive, purge), so that every action leaves a trace.
 */
public abstract class HareOperationEvent extends HareEvent {

	private final String listenerId;

	protected HareOperationEvent(Object source, String listenerId) {
		super(source);
		this.listenerId = listenerId;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	/**
	 * Return the name of the operation, such as {@code pause} or {@code redrive}, as used in
	 * metric tags.
	 * @return the operation
	 */
	public abstract String getOperation();

	@Override
	public String toString() {
		return getClass().getSimpleName() + " [listener=" + this.listenerId + "]";
	}

}
