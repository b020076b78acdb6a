package io.hare.operations;

import org.jspecify.annotations.Nullable;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.util.Assert;

/**
 * Which dead letters a redrive moves back to the work queue.
 *
 * @param maxMessages the most dead letters to republish
 * @param exceptionType when set, only dead letters whose {@link HareHeaders#EXCEPTION} is this
 * class, by its fully qualified or its simple name
 */
public record RedriveRequest(int maxMessages, @Nullable String exceptionType) {

	public RedriveRequest {
		Assert.isTrue(maxMessages > 0, "'maxMessages' must be positive");
	}

	/**
	 * Return a request for every dead letter.
	 * @return the request
	 */
	public static RedriveRequest all() {
		return new RedriveRequest(Integer.MAX_VALUE, null);
	}

	/**
	 * Return a request for the first dead letters.
	 * @param maxMessages how many
	 * @return the request
	 */
	public static RedriveRequest first(int maxMessages) {
		return new RedriveRequest(maxMessages, null);
	}

	/**
	 * Return a request for every dead letter that failed with the given exception.
	 * @param exceptionType the exception class, by its fully qualified or simple name
	 * @return the request
	 */
	public static RedriveRequest failedWith(String exceptionType) {
		Assert.hasText(exceptionType, "'exceptionType' must not be empty");
		return new RedriveRequest(Integer.MAX_VALUE, exceptionType);
	}

	/**
	 * Whether a dead letter is one this request moves.
	 * @param message the dead letter
	 * @return whether it matches
	 */
	public boolean matches(Message message) {
		if (this.exceptionType == null) {
			return true;
		}
		Object exception = message.getMessageProperties().getHeaders().get(HareHeaders.EXCEPTION);
		if (exception == null) {
			return false;
		}
		String name = exception.toString();
		// A simple name matches the last segment, so "TimeoutException" does not match
		// "MyTimeoutException".
		return name.equals(this.exceptionType)
				|| (this.exceptionType.indexOf('.') < 0 && name.endsWith("." + this.exceptionType));
	}

}
