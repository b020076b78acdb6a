package io.hare.actuate;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks a password wherever a {@code scheme://user:password@host} URI could carry one into
 * what the endpoint or the health contributor shows.
 */
final class Masking {

	private static final Pattern USER_INFO = Pattern.compile("(://[^:/@\\s]*):[^@/\\s]*@");

	private Masking() {
	}

	static String mask(@Nullable String text) {
		if (text == null) {
			return "";
		}
		return (text.indexOf('@') < 0) ? text : USER_INFO.matcher(text).replaceAll("$1:****@");
	}

}
