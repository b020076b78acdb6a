package io.hare.listener;

import java.util.function.Function;

/**
 * Resolves a listener's settings: lays Hare's defaults, {@code hare.defaults}, the settings
 * the listener declares, {@code hare.listeners.<id>} and the {@link HareListenerCustomizer
 * customizers} over each other, then validates the result once. Hare's auto-configuration
 * provides the one implementation; the listener package never reads properties itself.
 */
public interface ListenerSettingsResolver {

	/**
	 * Resolve the settings of a listener.
	 * @param id the listener id
	 * @param declared the settings the listener declares (its annotation, or those it was
	 * registered with in code)
	 * @param declaredSource describes where a declared setting comes from, by its path such as
	 * {@code retry.limit}, for error messages (for example
	 * {@code @HareListener(retryLimit) on com.acme.Orders.onOrder})
	 * @return the validated settings
	 * @throws RuntimeException naming the source of the first invalid setting
	 */
	default ListenerSettings resolve(String id, ListenerProperties declared, Function<String, String> declaredSource) {
		return resolve(id, declared, declaredSource, false);
	}

	/**
	 * Resolve the settings of a listener.
	 * @param id the listener id
	 * @param declared the settings the listener declares
	 * @param declaredSource describes where a declared setting comes from, by its path
	 * @param batch whether the listener takes batches ({@code List<T>}), to which the
	 * {@code batch.*} settings apply
	 * @return the validated settings
	 * @throws RuntimeException naming the source of the first invalid setting
	 */
	ListenerSettings resolve(String id, ListenerProperties declared, Function<String, String> declaredSource,
			boolean batch);

}
