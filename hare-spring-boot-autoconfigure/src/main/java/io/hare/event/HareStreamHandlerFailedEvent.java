package io.hare.event;

import org.jspecify.annotations.Nullable;


/**
 * Published when the handler of a stream listener throws: a stream cannot retry a message,
 * so Hare acks it and moves on (after copying it to the listener's {@code stream.dead-letter},
 * if it has one), and this event says which one.
 */
public class HareStreamHandlerFailedEvent extends HareEvent {

	private final String listenerId;

	private final String stream;

	private final @Nullable Long offset;

	private final Throwable exception;

	private final @Nullable String deadLetter;

	/**
	 * Create an event.
	 * @param source the listener container
	 * @param listenerId the listener
	 * @param stream the stream it consumes
	 * @param offset the offset of the message, or {@code null} if the broker gave none
	 * @param exception what the handler threw
	 */
	public HareStreamHandlerFailedEvent(Object source, String listenerId, String stream, @Nullable Long offset,
			Throwable exception) {
		this(source, listenerId, stream, offset, exception, null);
	}

	/**
	 * Create an event for a message copied to a dead-letter queue or stream.
	 * @param source the listener container
	 * @param listenerId the listener
	 * @param stream the stream it consumes
	 * @param offset the offset of the message, or {@code null} if the broker gave none
	 * @param exception what the handler threw
	 * @param deadLetter the queue or stream the broker confirmed a copy in, or {@code null}
	 * for none
	 */
	public HareStreamHandlerFailedEvent(Object source, String listenerId, String stream, @Nullable Long offset,
			Throwable exception, @Nullable String deadLetter) {
		super(source);
		this.deadLetter = deadLetter;
		this.listenerId = listenerId;
		this.stream = stream;
		this.offset = offset;
		this.exception = exception;
	}

	public String getListenerId() {
		return this.listenerId;
	}

	public String getStream() {
		return this.stream;
	}

	/**
	 * Return the offset of the message the handler failed on, to read it again from there.
	 * @return the offset, or {@code null} if the broker gave none
	 */
	public @Nullable Long getOffset() {
		return this.offset;
	}

	public Throwable getException() {
		return this.exception;
	}

	/**
	 * Return the queue or stream that holds a copy of the message, with the reason headers.
	 * @return the listener's {@code stream.dead-letter}, or {@code null} if it has none
	 */
	public @Nullable String getDeadLetter() {
		return this.deadLetter;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[listener=" + this.listenerId + ", stream=" + this.stream + ", offset="
				+ this.offset + ", exception=" + this.exception.getClass().getName()
				+ ((this.deadLetter != null) ? ", deadLetter=" + this.deadLetter : "") + "]";
	}

}
