package io.hare.operations;

import org.jspecify.annotations.Nullable;

/**
 * Dead letters of a listener that failed alike: with the same exception class and an exception
 * message of the same pattern, its numbers, ids and quoted values left out.
 *
 * @param id a short id of the group, the same for every read while the exception and pattern
 * stay the same
 * @param exception the class of the exception that dead-lettered them, {@code null} for dead
 * letters without Hare's failure headers
 * @param pattern the exception message with numbers as {@code {n}}, UUIDs and long hex ids as
 * {@code {id}} and quoted values as {@code '…'}
 * @param count how many of the dead letters read are in the group
 * @param firstFailedAt the earliest failure time of the group, ISO-8601, if any had one
 * @param lastFailedAt the latest failure time of the group, ISO-8601, if any had one
 */
public record DeadLetterGroup(String id, @Nullable String exception, String pattern, int count,
		@Nullable String firstFailedAt, @Nullable String lastFailedAt) {

}
