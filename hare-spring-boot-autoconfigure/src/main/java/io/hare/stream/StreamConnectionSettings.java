package io.hare.stream;

import io.hare.support.CredentialMasker;

import org.springframework.util.Assert;

/**
 * Where and as whom Hare connects over the stream protocol.
 *
 * @param host the host of the node Hare asks where streams live
 * @param port its stream port, 5552 unless changed
 * @param username the user to log in as
 * @param password the password, never shown by {@link #toString()}
 * @param virtualHost the virtual host
 */
public record StreamConnectionSettings(String host, int port, String username, String password,
		String virtualHost) {

	public StreamConnectionSettings {
		Assert.hasText(host, "'host' must not be empty");
		Assert.isTrue(port > 0 && port < 65536, "'port' must be between 1 and 65535");
		Assert.hasText(username, "'username' must not be empty");
		Assert.notNull(password, "'password' must not be null");
		Assert.hasText(virtualHost, "'virtualHost' must not be empty");
	}

	/**
	 * Describe the target without the password.
	 * @return {@code host:port}, virtual host and user
	 */
	String describe() {
		return this.host + ":" + this.port + " (virtual host '" + this.virtualHost + "', user '" + this.username
				+ "')";
	}

	@Override
	public String toString() {
		return this.username + ":" + CredentialMasker.MASK + "@" + this.host + ":" + this.port + ", virtual host '"
				+ this.virtualHost + "'";
	}

}
