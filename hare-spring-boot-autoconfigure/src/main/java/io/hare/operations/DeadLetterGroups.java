package io.hare.operations;

import java.util.List;

/**
 * The dead letters of a listener grouped by how they failed, largest group first.
 *
 * @param depth the messages in the dead-letter queue when they were read
 * @param read how many of them were read to group them, at most the read limit
 * @param complete whether every dead letter was read, so that the counts add up to the depth
 * @param groups the groups, largest first
 */
public record DeadLetterGroups(long depth, int read, boolean complete, List<DeadLetterGroup> groups) {

}
