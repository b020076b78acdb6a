package io.hare.actuate;

import io.hare.publish.HarePublishException;
import io.hare.publish.PublishResult;

/**
 * What became of a published message, as counted by the statistics and metrics.
 */
enum PublishOutcome {

	PUBLISHED("published"),

	DUPLICATE("duplicate"),

	RETURNED("returned"),

	FAILED("failed");

	private final String tagValue;

	PublishOutcome(String tagValue) {
		this.tagValue = tagValue;
	}

	String tagValue() {
		return this.tagValue;
	}

	static PublishOutcome of(PublishResult result) {
		return result.isDuplicate() ? DUPLICATE : PUBLISHED;
	}

	static PublishOutcome of(HarePublishException failure) {
		// An unroutable message came back from the broker (mandatory return) or named an
		// exchange that does not exist: it was returned, not lost on the way.
		return (failure.getReason() == HarePublishException.Reason.UNROUTABLE) ? RETURNED : FAILED;
	}

}
