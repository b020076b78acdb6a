package io.hare.listener;

import java.util.function.Consumer;

import org.springframework.util.Assert;

/**
 * Callback to adjust a listener's settings after its annotation and properties were applied.
 * Customizers run in {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface HareListenerCustomizer {

	/**
	 * Customize the settings of a listener.
	 * @param spec the settings, mutable
	 */
	void customize(HareListenerSpec spec);

	/**
	 * Return a customizer that applies only to the listener with the given id.
	 * @param listenerId the listener id
	 * @param customizer what to do with its settings
	 * @return the customizer
	 */
	static HareListenerCustomizer of(String listenerId, Consumer<HareListenerSpec> customizer) {
		Assert.hasText(listenerId, "'listenerId' must not be empty");
		Assert.notNull(customizer, "'customizer' must not be null");
		return (spec) -> {
			if (listenerId.equals(spec.getId())) {
				customizer.accept(spec);
			}
		};
	}

}
