package io.hare.support;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks the password of URIs such as {@code amqp://user:secret@host}, wherever they appear in a
 * text, before it is logged or put in an exception.
 */
public final class CredentialMasker {

	/**
	 * What a password is replaced with.
	 */
	public static final String MASK = "****";

	// scheme://user:password@ — the password is anything up to the last '@' before the host.
	private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*):[^/\\s]*@");

	private CredentialMasker() {
	}

	/**
	 * Return the text with the password of every URI in it masked.
	 * @param text the text
	 * @return the masked text, {@code null} for {@code null}
	 */
	public static @Nullable String mask(@Nullable String text) {
		if (text == null || text.indexOf('@') < 0) {
			return text;
		}
		return USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
	}

}
