package io.hare.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Where one setting of a listener came from, so that a bad value is reported by the key or
 * attribute the user wrote.
 *
 * @param description the property key (such as {@code hare.listeners.orders.retry.limit}),
 * annotation attribute or customizer that supplied the value
 * @param property whether the description is a property key
 * @param own whether the value was set for this listener (annotation, code,
 * {@code hare.listeners.<id>}, customizer) rather than inherited from defaults
 * @param layer the rank of the layer the value came from: a higher layer wins
 */
record SettingSource(String description, boolean property, boolean own, int layer) {

	static SettingSource property(String key, boolean own, int layer) {
		return new SettingSource(key, true, own, layer);
	}

	static SettingSource declared(String description, int layer) {
		return new SettingSource(description, false, true, layer);
	}

	static SettingSource customizer(Object customizer, int layer) {
		return new SettingSource("HareListenerCustomizer " + customizer.getClass().getName(), false, true, layer);
	}

	/**
	 * Return the exception that reports a bad value from this source.
	 * @param listenerId the listener id
	 * @param key the setting's key below the listener, such as {@code retry.limit}
	 * @param value the bad value
	 * @param reason why it is bad
	 * @return the exception to throw
	 */
	RuntimeException invalid(String listenerId, String key, @Nullable Object value, String reason) {
		if (this.property) {
			// Spring Boot's failure analyzer names the key and the file and line it came from.
			return new InvalidConfigurationPropertyValueException(this.description, value,
					reason + " (Hare listener '" + listenerId + "')");
		}
		return new IllegalStateException("Invalid " + key + " = " + value + " of Hare listener '" + listenerId
				+ "', set by " + this.description + ": " + reason);
	}

}
