package io.hare.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.hare.listener.HareListenerCustomizer;
import io.hare.listener.ListenerProperties;

/**
 * The settings of one listener merged layer over layer, each value remembering its
 * {@link SettingSource}, until they are validated once.
 */
final class MergedListenerProperties {

	/**
	 * The largest delay a queue's {@code x-message-ttl} can hold.
	 */
	static final Duration MAX_TTL = Duration.ofMillis(Integer.MAX_VALUE);

	private static final String CONCURRENCY = "concurrency";

	private static final String CONSUMERS = "consumers";

	private static final String DELAY = "retry.delay";

	private static final String DELAYS = "retry.delays";

	private final String id;

	private final String propertyPrefix;

	private final Map<String, Object> values = new LinkedHashMap<>();

	private final Map<String, SettingSource> sources = new LinkedHashMap<>();

	private int layers;

	MergedListenerProperties(String id, String propertyPrefix) {
		this.id = id;
		this.propertyPrefix = propertyPrefix;
	}

	String id() {
		return this.id;
	}

	/**
	 * Lay a layer over what is merged so far: each value it sets wins.
	 * @param properties the layer
	 * @param sourceOf where each of its values comes from, by path, given the layer's rank
	 */
	void lay(ListenerProperties properties, BiFunction<String, Integer, SettingSource> sourceOf) {
		int layer = ++this.layers;
		lay(ListenerPropertyPaths.read(properties), (path) -> sourceOf.apply(path, layer));
	}

	/**
	 * Let a customizer change the merged settings; what it changes comes from it.
	 * @param customizer the customizer
	 */
	void customize(HareListenerCustomizer customizer) {
		Map<String, Object> before = new LinkedHashMap<>(this.values);
		ListenerProperties properties = ListenerPropertyPaths.write(before);
		customizer.customize(this.id, properties);
		Map<String, Object> after = ListenerPropertyPaths.read(properties);
		before.keySet().stream().filter((path) -> !after.containsKey(path)).toList().forEach(this::remove);
		Map<String, Object> changed = new LinkedHashMap<>(after);
		changed.entrySet().removeIf((entry) -> Objects.equals(before.get(entry.getKey()), entry.getValue()));
		SettingSource source = SettingSource.customizer(customizer, ++this.layers);
		lay(changed, (path) -> source);
	}

	private void lay(Map<String, Object> layer, Function<String, SettingSource> sourceOf) {
		Map<String, Object> values = new LinkedHashMap<>(layer);
		Object consumers = values.remove(CONSUMERS);
		if (consumers != null) {
			Object concurrency = values.get(CONCURRENCY);
			if (concurrency != null && !concurrency.equals(consumers)) {
				throw sourceOf.apply(CONSUMERS).invalid(this.id, CONSUMERS, consumers,
						"it is an alias of concurrency, which is " + concurrency + "; set one of them");
			}
			put(CONCURRENCY, consumers, sourceOf.apply(CONSUMERS));
		}
		if (values.containsKey(DELAY) && values.containsKey(DELAYS)) {
			throw sourceOf.apply(DELAYS).invalid(this.id, DELAYS, values.get(DELAYS),
					"set a fixed retry.delay or a cascade of retry.delays, not both");
		}
		values.forEach((path, value) -> {
			// A fixed delay replaces a cascade from a lower layer, and the other way round.
			if (DELAY.equals(path)) {
				remove(DELAYS);
			}
			if (DELAYS.equals(path)) {
				remove(DELAY);
			}
			put(path, value, sourceOf.apply(path));
		});
	}

	private void put(String path, Object value, SettingSource source) {
		this.values.put(path, value);
		this.sources.put(path, source);
	}

	private void remove(String path) {
		this.values.remove(path);
		this.sources.remove(path);
	}

	boolean has(String path) {
		return this.values.containsKey(path);
	}

	@SuppressWarnings("unchecked")
	<T> @Nullable T get(String path) {
		return (T) this.values.get(path);
	}

	<T> T require(String path, T fallback) {
		T value = get(path);
		return (value != null) ? value : fallback;
	}

	/**
	 * Return where a setting came from.
	 * @param path the setting's path
	 * @return its source; for a setting not set, the listener's own property
	 */
	SettingSource source(String path) {
		SettingSource source = this.sources.get(path);
		return (source != null) ? source
				: SettingSource.property(this.propertyPrefix + ListenerPropertyPaths.key(path), true, this.layers);
	}

	/**
	 * Return whether a setting was set for this listener rather than inherited.
	 * @param path the setting's path
	 * @return whether it is the listener's own
	 */
	boolean isOwn(String path) {
		return has(path) && source(path).own();
	}

	/**
	 * Return the exception that reports a bad setting by its source.
	 * @param path the setting's path
	 * @param reason why it is bad
	 * @return the exception to throw
	 */
	RuntimeException invalid(String path, String reason) {
		return source(path).invalid(this.id, ListenerPropertyPaths.key(path), get(path), reason);
	}

	/**
	 * Drop a setting that does not apply to this listener: an inherited one silently (a default
	 * for every listener need not fit each), one set for this listener with an error.
	 * @param path the setting's path
	 * @param reason why it does not apply
	 */
	void inapplicable(String path, String reason) {
		inapplicable(path, reason, null);
	}

	/**
	 * Drop a setting that another one makes inapplicable: silently if it is inherited or the
	 * other was set in a higher layer (as a fixed delay in the annotation gives way to an
	 * exponential backoff chosen in properties), else with an error.
	 * @param path the setting's path
	 * @param reason why it does not apply
	 * @param decidingPath the path of the setting that makes it inapplicable, or {@code null}
	 */
	void inapplicable(String path, String reason, @Nullable String decidingPath) {
		if (isOwn(path) && (decidingPath == null || !has(decidingPath)
				|| source(path).layer() >= source(decidingPath).layer())) {
			throw invalid(path, reason);
		}
		remove(path);
	}

	/**
	 * Return a whole-number setting, checking it is at least the minimum.
	 * @param path the setting's path
	 * @param minimum the smallest value allowed
	 * @return the value, or {@code null} if not set
	 */
	@Nullable Integer atLeast(String path, int minimum) {
		Integer value = get(path);
		if (value != null && value < minimum) {
			throw invalid(path, (minimum == 0) ? "must be zero or more" : "must be at least " + minimum);
		}
		return value;
	}

	/**
	 * Return a duration setting that becomes a queue's {@code x-message-ttl} or delay.
	 * @param path the setting's path
	 * @return the value, or {@code null} if not set
	 */
	@Nullable Duration ttl(String path) {
		Duration value = get(path);
		if (value != null) {
			checkTtl(path, value);
		}
		return value;
	}

	Duration ttl(String path, Duration fallback) {
		Duration value = ttl(path);
		return (value != null) ? value : fallback;
	}

	void checkTtl(String path, Duration value) {
		if (value.isNegative() || value.compareTo(MAX_TTL) > 0) {
			throw invalid(path, "must be between 0 and " + MAX_TTL);
		}
	}

}
