package io.hare.dedup;

/**
 * Thrown when a message lacks a value that its deduplication key is made of.
 */
public class DedupKeyException extends RuntimeException {

	public DedupKeyException(String message) {
		super(message);
	}

	public DedupKeyException(String message, Throwable cause) {
		super(message, cause);
	}

}
