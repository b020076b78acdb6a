package io.hare.topology;

/**
 * The kind of RabbitMQ queue a listener consumes from, declared as {@code x-queue-type}.
 */
public enum QueueType {

	/**
	 * A classic queue: the broker default, single node.
	 */
	CLASSIC("classic"),

	/**
	 * A replicated quorum queue, for data safety.
	 */
	QUORUM("quorum"),

	/**
	 * An append-only stream, read from an offset; no retry or dead-letter queues.
	 */
	STREAM("stream");

	private final String argumentValue;

	QueueType(String argumentValue) {
		this.argumentValue = argumentValue;
	}

	/**
	 * Return the value of the {@code x-queue-type} argument for this type.
	 * @return the argument value
	 */
	public String argumentValue() {
		return this.argumentValue;
	}

}
