package io.hare.event;

/**
 * Published when an attempt to open, or to reopen, one of Hare's connections failed; the
 * listeners keep trying at their recovery interval, so a run of these events means Hare is
 * reconnecting.
 */
public class HareConnectionFailedEvent extends HareEvent {

	private final String connectionName;

	private final Exception failure;

	/**
	 * Create an event.
	 * @param source the connection factory
	 * @param connectionName the Hare connection's name
	 * @param failure why the attempt failed
	 */
	public HareConnectionFailedEvent(Object source, String connectionName, Exception failure) {
		super(source);
		this.connectionName = connectionName;
		this.failure = failure;
	}

	public String getConnectionName() {
		return this.connectionName;
	}

	public Exception getFailure() {
		return this.failure;
	}

	@Override
	public String toString() {
		return "HareConnectionFailedEvent [connection=" + this.connectionName + ", failure="
				+ this.failure.getClass().getName() + "]";
	}

}
