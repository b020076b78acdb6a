package io.hare.publish;

import java.util.function.Consumer;

import org.springframework.util.Assert;

/**
 * Callback to adjust a publisher configured under {@code hare.publishers} after its properties
 * were applied, before it is built. Customizers run in {@link org.springframework.core.Ordered
 * order}.
 */
@FunctionalInterface
public interface HarePublisherCustomizer {

	/**
	 * Customize the builder of a publisher.
	 * @param builder the builder, with the publisher's properties applied
	 */
	void customize(HarePublisherBuilder builder);

	/**
	 * Return a customizer that applies only to the publisher with the given name.
	 * @param name the publisher's name
	 * @param customizer what to do with its builder
	 * @return the customizer
	 */
	static HarePublisherCustomizer of(String name, Consumer<HarePublisherBuilder> customizer) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(customizer, "'customizer' must not be null");
		return (builder) -> {
			if (name.equals(builder.getName())) {
				customizer.accept(builder);
			}
		};
	}

}
