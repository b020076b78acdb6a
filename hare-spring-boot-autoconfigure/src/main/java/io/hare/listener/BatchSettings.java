package io.hare.listener;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How a batch listener ({@code List<T>} parameter) receives its messages.
 *
 * @param size the most messages in one batch
 * @param receiveTimeout how long to wait for more before handing over a smaller batch
 */
public record BatchSettings(int size, Duration receiveTimeout) {

	public BatchSettings {
		Assert.isTrue(size >= 1, "'size' must be at least 1");
		Assert.isTrue(receiveTimeout != null && receiveTimeout.toMillis() > 0, "'receiveTimeout' must be positive");
	}

}
