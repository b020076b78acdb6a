package io.hare.listener;

import java.util.function.Consumer;

import org.springframework.util.Assert;

/**
 * Callback to adjust a listener's settings after its annotation and properties were applied;
 * what it sets wins over both. Customizers run in {@link org.springframework.core.Ordered
 * order}, and a bad value they set fails start-up naming the customizer.
 */
@FunctionalInterface
public interface HareListenerCustomizer {

	/**
	 * Customize the settings of a listener.
	 * @param listenerId the listener id
	 * @param properties the settings merged so far, mutable; a {@code null} value is not set
	 */
	void customize(String listenerId, ListenerProperties properties);

	/**
	 * Return a customizer that applies only to the listener with the given id.
	 * @param listenerId the listener id
	 * @param customizer what to do with its settings
	 * @return the customizer
	 */
	static HareListenerCustomizer of(String listenerId, Consumer<ListenerProperties> customizer) {
		Assert.hasText(listenerId, "'listenerId' must not be empty");
		Assert.notNull(customizer, "'customizer' must not be null");
		return (id, properties) -> {
			if (listenerId.equals(id)) {
				customizer.accept(properties);
			}
		};
	}

}
