package io.hare.operations;

import io.hare.publish.HarePublishException;
import io.hare.publish.PublishResult;

/**
 * What became of a published message, as counted by the statistics and metrics.
 */
public enum PublishOutcome {

	/**
	 * Confirmed by the broker.
	 */
	PUBLISHED("published"),

	/**
	 * Dropped as a duplicate.
	 */
	DUPLICATE("duplicate"),

	/**
	 * Returned by the broker as unroutable, or sent to an exchange that does not exist.
	 */
	RETURNED("returned"),

	/**
	 * Refused, timed out, lost with the connection, or not encodable.
	 */
	FAILED("failed");

	private final String tagValue;

	PublishOutcome(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * Return the outcome as a tag or label value.
	 * @return the lower-case name
	 */
	public String tagValue() {
		return this.tagValue;
	}

	/**
	 * Return the outcome of a publish that succeeded.
	 * @param result its result
	 * @return published or duplicate
	 */
	public static PublishOutcome of(PublishResult result) {
		return result.isDuplicate() ? DUPLICATE : PUBLISHED;
	}

	/**
	 * Return the outcome of a publish that failed.
	 * @param failure its failure
	 * @return returned or failed
	 */
	public static PublishOutcome of(HarePublishException failure) {
		// An unroutable message came back from the broker (mandatory return) or named an
		// exchange that does not exist: it was returned, not lost on the way.
		return (failure.getReason() == HarePublishException.Reason.UNROUTABLE) ? RETURNED : FAILED;
	}

}
