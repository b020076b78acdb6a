package io.hare.listener;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.util.Assert;

/**
 * Thrown by a batch listener ({@code List<T>} parameter) to name the elements of the batch
 * that failed: only those take the listener's retry and dead-letter path, each with its own
 * attempt count, and the rest are acked.
 */
public class HareBatchException extends RuntimeException {

	private final Set<Integer> indices;

	private final List<Object> elements;

	private HareBatchException(String message, Throwable cause, Set<Integer> indices, List<Object> elements) {
		super(message, cause);
		this.indices = Set.copyOf(indices);
		this.elements = List.copyOf(elements);
	}

	/**
	 * Name failed elements by their index in the batch.
	 * @param cause why they failed, as their retry and dead-letter headers will say
	 * @param indices the 0-based indices of the failed elements
	 * @return the exception to throw
	 */
	public static HareBatchException failedAt(Throwable cause, int... indices) {
		Assert.notNull(cause, "'cause' must not be null");
		Set<Integer> set = new TreeSet<>();
		for (int index : indices) {
			set.add(index);
		}
		return new HareBatchException("Batch elements " + set + " failed: " + cause, cause, set, List.of());
	}

	/**
	 * Name failed elements themselves, as the handler received them.
	 * @param cause why they failed, as their retry and dead-letter headers will say
	 * @param elements the failed elements
	 * @return the exception to throw
	 */
	public static HareBatchException failed(Throwable cause, List<?> elements) {
		Assert.notNull(cause, "'cause' must not be null");
		Assert.notNull(elements, "'elements' must not be null");
		return new HareBatchException(elements.size() + " batch element(s) failed: " + cause, cause, Set.of(),
				List.copyOf(elements));
	}

	boolean failed(int index, Object element) {
		return this.indices.contains(index) || this.elements.stream().anyMatch((failed) -> failed == element);
	}

}
