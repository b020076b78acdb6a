package io.hare.listener;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How a listener acknowledges the messages it handled: one multiple ack for up to
 * {@code batchSize} messages, sent at the latest {@code batchTimeout} after the first of them
 * was handled.
 *
 * @param batchSize the most handled messages acknowledged together; 1 acks each on its own
 * @param batchTimeout the longest a handled message waits for its acknowledgement
 */
public record AckSettings(int batchSize, Duration batchTimeout) {

	/**
	 * One acknowledgement per message, as a plain Spring AMQP listener sends.
	 */
	public static final AckSettings EACH = new AckSettings(1, Duration.ofMillis(1));

	public AckSettings {
		Assert.isTrue(batchSize >= 1, "'batchSize' must be at least 1");
		Assert.isTrue(batchTimeout != null && batchTimeout.toMillis() > 0, "'batchTimeout' must be positive");
	}

	/**
	 * Whether several messages share one acknowledgement.
	 * @return whether acknowledgements are batched
	 */
	public boolean isBatched() {
		return this.batchSize > 1;
	}

}
