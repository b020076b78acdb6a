package io.hare.autoconfigure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports a key under {@code hare.*} that Hare does not know, which fails start-up, with the
 * known keys it was probably meant to be.
 */
class UnknownHarePropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
		implements Ordered {

	@Override
	public int getOrder() {
		// Before Spring Boot's own analyzer of unbound properties, which knows no suggestions.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		Set<ConfigurationProperty> unbound = cause.getUnboundProperties();
		if (unbound.isEmpty() || !unbound.stream().allMatch((property) -> property.getName().toString().startsWith("hare."))) {
			return null;
		}
		StringBuilder description = new StringBuilder("Hare does not know these keys:\n");
		List<String> suggestions = new ArrayList<>();
		for (ConfigurationProperty property : unbound) {
			String key = property.getName().toString();
			description.append("\n    ").append(key);
			if (property.getOrigin() != null) {
				description.append(" (").append(property.getOrigin()).append(")");
			}
			List<String> close = suggestions(key);
			if (!close.isEmpty()) {
				suggestions.add(key + ": did you mean " + String.join(" or ", close) + "?");
			}
		}
		String action = (suggestions.isEmpty() ? "" : String.join("\n", suggestions) + "\n\n")
				+ "Remove or correct each key; every key Hare knows is in its properties reference "
				+ "(docs/properties.md) and in your IDE's completion.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	/**
	 * Return the known keys closest to an unknown one: a typo away, or ending alike (a key
	 * that moved into a group, such as {@code retry.initial} to
	 * {@code retry.backoff.initial}).
	 * @param key the unknown key
	 * @return the suggestions, best first
	 */
	static List<String> suggestions(String key) {
		String[] segments = key.split("\\.");
		return HarePropertyKeys.KEYS.stream()
			.map((known) -> concrete(known, segments))
			.filter((known) -> known != null && !known.equals(key))
			.filter((known) -> distance(known, key) <= 2 || sameEnding(known, key) || known.startsWith(key + "."))
			.sorted(Comparator.comparingInt((String known) -> distance(known, key)))
			.distinct()
			.limit(3)
			.collect(Collectors.toList());
	}

	// Put the map keys of the unknown key (a listener or publisher name) into the pattern.
	private static @Nullable String concrete(String pattern, String[] segments) {
		String[] parts = pattern.split("\\.");
		for (int i = 0; i < parts.length; i++) {
			if ("*".equals(parts[i])) {
				if (i >= segments.length) {
					return null;
				}
				parts[i] = segments[i];
			}
		}
		return String.join(".", parts);
	}

	private static boolean sameEnding(String known, String key) {
		String ending = key.substring(key.lastIndexOf('.') + 1);
		String knownEnding = known.substring(known.lastIndexOf('.') + 1);
		String prefix = key.substring(0, Math.max(0, key.lastIndexOf('.')));
		return ending.equals(knownEnding) && known.startsWith(prefix.substring(0, Math.min(prefix.length(),
				prefix.lastIndexOf('.') + 1)));
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
