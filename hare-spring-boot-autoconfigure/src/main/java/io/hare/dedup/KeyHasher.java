package io.hare.dedup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds a SHA-256 key from parts separated by a byte that cannot occur in UTF-8 text, so that
 * {@code ("ab", "c")} and {@code ("a", "bc")} differ.
 */
final class KeyHasher {

	private static final byte SEPARATOR = (byte) 0xff;

	private final MessageDigest digest;

	KeyHasher(String exchange, String routingKey) {
		try {
			this.digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
		add(exchange);
		add(routingKey);
	}

	KeyHasher add(String part) {
		return add(part.getBytes(StandardCharsets.UTF_8));
	}

	KeyHasher add(byte[] part) {
		this.digest.update(part);
		this.digest.update(SEPARATOR);
		return this;
	}

	String hash() {
		return HexFormat.of().formatHex(this.digest.digest());
	}

}
