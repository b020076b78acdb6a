package io.hare.event;

import org.jspecify.annotations.Nullable;

import io.hare.publish.HarePublishException;

/**
 * Published when a message given to a Hare publisher was not confirmed by the broker: refused,
 * unroutable, timed out, or lost with its connection. The caller got the same failure as a
 * {@link HarePublishException}; this event lets the application watch for them in one place.
 */
public class HarePublishFailedEvent extends HareEvent {

	private final String publisherName;

	private final HarePublishException failure;

	/**
	 * Create an event.
	 * @param source the publisher
	 * @param publisherName the publisher's name
	 * @param failure why the message was not confirmed
	 */
	public HarePublishFailedEvent(Object source, String publisherName, HarePublishException failure) {
		super(source);
		this.publisherName = publisherName;
		this.failure = failure;
	}

	public String getPublisherName() {
		return this.publisherName;
	}

	/**
	 * Return why the message was not confirmed.
	 * @return the reason
	 */
	public HarePublishException.Reason getReason() {
		return this.failure.getReason();
	}

	public String getExchange() {
		return this.failure.getExchange();
	}

	public String getRoutingKey() {
		return this.failure.getRoutingKey();
	}

	public @Nullable String getMessageId() {
		return this.failure.getMessageId();
	}

	public HarePublishException getFailure() {
		return this.failure;
	}

	@Override
	public String toString() {
		return "HarePublishFailedEvent [publisher=" + this.publisherName + ", reason=" + getReason() + ", exchange="
				+ getExchange() + ", routingKey=" + getRoutingKey() + "]";
	}

}
