package io.hare.operations;

import org.jspecify.annotations.Nullable;

/**
 * What a deletion of chosen dead letters did.
 *
 * @param deleted how many dead letters were deleted
 * @param skipped how many dead letters were not chosen and stayed where they were
 * @param stop why the deletion stopped
 * @param failure what stopped a {@link RedriveResult.Stop#FAILED failed} deletion, without
 * credentials
 */
public record DeleteResult(int deleted, int skipped, RedriveResult.Stop stop, @Nullable String failure) {

}
