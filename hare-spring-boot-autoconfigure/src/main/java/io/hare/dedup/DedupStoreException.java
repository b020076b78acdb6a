package io.hare.dedup;

/**
 * Thrown when a {@link DedupStore} cannot be reached or refuses an operation.
 */
public class DedupStoreException extends RuntimeException {

	public DedupStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
