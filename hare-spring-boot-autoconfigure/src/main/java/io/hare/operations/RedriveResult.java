package io.hare.operations;

import org.jspecify.annotations.Nullable;

/**
 * What a redrive of dead letters did.
 *
 * @param republished how many dead letters went back to the work queue, each confirmed by the
 * broker before its dead copy was removed
 * @param skipped how many dead letters did not match the filter and stayed where they were
 * @param stop why the redrive stopped
 * @param failure what stopped a {@link Stop#FAILED failed} redrive, without credentials
 */
public record RedriveResult(int republished, int skipped, Stop stop, @Nullable String failure) {

	/**
	 * Why a redrive stopped.
	 */
	public enum Stop {

		/**
		 * The dead-letter queue had no more messages.
		 */
		EMPTY,

		/**
		 * The number of dead letters asked for were republished.
		 */
		COUNT_REACHED,

		/**
		 * Every dead letter in the queue when the redrive started was looked at; those that
		 * came later, perhaps failing again after their redrive, are left for another one.
		 */
		ALL_SCANNED,

		/**
		 * The broker did not confirm a republished message, or the connection closed; the
		 * message it was moving stayed in, or went back to, the dead-letter queue.
		 */
		FAILED

	}

}
