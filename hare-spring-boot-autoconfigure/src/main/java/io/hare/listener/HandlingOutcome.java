package io.hare.listener;

/**
 * What became of a message a Hare listener received.
 */
public enum HandlingOutcome {

	/**
	 * The handler returned; the message was acked.
	 */
	SUCCESS("success"),

	/**
	 * The handler threw and was called again at once with the same message, in place: an
	 * immediate retry, before any delayed one.
	 */
	RETRIED_IMMEDIATELY("retried-immediately"),

	/**
	 * The handler threw and the message went to a delay queue for another attempt.
	 */
	RETRIED("retried"),

	/**
	 * The handler threw and the message went to the dead-letter queue: its retries were used
	 * up or the exception is not retryable.
	 */
	DEAD_LETTERED("dead-lettered"),

	/**
	 * The message could not be decoded for the handler and went to the dead-letter queue at
	 * once.
	 */
	DECODE_FAILED("decode-failed"),

	/**
	 * The handler threw but the broker did not confirm the retry or dead-letter copy, so the
	 * original was requeued to be delivered again.
	 */
	REQUEUED("requeued"),

	/**
	 * The handler of a stream listener threw; a stream message cannot be retried, so it was
	 * acked and skipped, after its copy to the listener's {@code stream.dead-letter}, if set,
	 * was confirmed.
	 */
	SKIPPED("skipped");

	private final String tagValue;

	HandlingOutcome(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * Return the outcome as a metric tag value, such as {@code dead-lettered}.
	 * @return the tag value
	 */
	public String tagValue() {
		return this.tagValue;
	}

	/**
	 * Whether the message ended in the dead-letter queue.
	 * @return whether the message was dead-lettered
	 */
	public boolean isDeadLettered() {
		return this == DEAD_LETTERED || this == DECODE_FAILED;
	}

}
