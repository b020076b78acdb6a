package io.hare.benchmarks;

import java.time.Duration;

/**
 * A handler's stand-in that works a fixed time on each message, then counts it.
 */
public class SlowHandlerProbe extends MessageProbe {

	private volatile Duration handlerTime = Duration.ofMillis(5);

	public void setHandlerTime(Duration handlerTime) {
		this.handlerTime = handlerTime;
	}

	/**
	 * Work on a message, as an I/O-bound handler waits for a database or a service.
	 * @param order the decoded payload
	 */
	public void handle(Order order) {
		try {
			Thread.sleep(this.handlerTime.toMillis(), this.handlerTime.toNanosPart() % 1_000_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		record(order);
	}

}
