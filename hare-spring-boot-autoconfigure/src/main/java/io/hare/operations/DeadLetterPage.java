package io.hare.operations;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a listener's dead letters, of one group or of all, oldest first.
 *
 * @param group the group's id, {@code null} for every dead letter
 * @param offset how many matching dead letters come before this page
 * @param total how many of the dead letters read match
 * @param read how many dead letters were read, at most the read limit
 * @param complete whether every dead letter in the queue was read
 * @param messages the dead letters on this page
 */
public record DeadLetterPage(@Nullable String group, int offset, int total, int read, boolean complete,
		List<FailedMessage> messages) {

}
