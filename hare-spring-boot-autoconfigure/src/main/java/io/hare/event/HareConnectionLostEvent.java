package io.hare.event;

/**
 * Published when the broker or the network closed one of Hare's connections; its listeners
 * reconnect on their own. A close the application asked for is not a loss.
 */
public class HareConnectionLostEvent extends HareEvent {

	private final String connectionName;

	private final String reason;

	/**
	 * Create an event.
	 * @param source the connection factory
	 * @param connectionName the Hare connection's name
	 * @param reason why the connection closed, as the broker or the client said it
	 */
	public HareConnectionLostEvent(Object source, String connectionName, String reason) {
		super(source);
		this.connectionName = connectionName;
		this.reason = reason;
	}

	public String getConnectionName() {
		return this.connectionName;
	}

	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "HareConnectionLostEvent [connection=" + this.connectionName + ", reason=" + this.reason + "]";
	}

}
