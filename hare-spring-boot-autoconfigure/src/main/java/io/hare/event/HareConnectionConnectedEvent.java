package io.hare.event;

/**
 * Published when one of Hare's connections opened, at start-up or after it was lost.
 */
public class HareConnectionConnectedEvent extends HareEvent {

	private final String connectionName;

	private final String address;

	/**
	 * Create an event.
	 * @param source the connection factory
	 * @param connectionName the Hare connection's name
	 * @param address the broker's {@code host:port}, without credentials
	 */
	public HareConnectionConnectedEvent(Object source, String connectionName, String address) {
		super(source);
		this.connectionName = connectionName;
		this.address = address;
	}

	public String getConnectionName() {
		return this.connectionName;
	}

	public String getAddress() {
		return this.address;
	}

	@Override
	public String toString() {
		return "HareConnectionConnectedEvent [connection=" + this.connectionName + ", address=" + this.address + "]";
	}

}
