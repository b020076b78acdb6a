package io.hare.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hare.support.CredentialMasker;

/**
 * How Hare connects over RabbitMQ's stream protocol, {@code hare.streams.*}; used when
 * {@code com.rabbitmq:stream-client} is on the classpath.
 */
public class StreamsProperties {

	/**
	 * Whether stream listeners read over the stream protocol when its client is on the
	 * classpath and the broker offers it; false reads streams over AMQP 0-9-1.
	 */
	private boolean enabled = true;

	/**
	 * Nodes asked where streams live, as host:port (the port defaults to the port key), tried
	 * in turn; host and port when not set. Credentials never go here.
	 */
	private @Nullable List<String> addresses;

	/**
	 * Host of the node asked where streams live; spring.rabbitmq's host when not set.
	 */
	private @Nullable String host;

	/**
	 * Stream port of that node, where the rabbitmq_stream plugin listens.
	 */
	private int port = 5552;

	/**
	 * User to log in as; spring.rabbitmq's when not set.
	 */
	private @Nullable String username;

	/**
	 * Password to log in with; spring.rabbitmq's when not set.
	 */
	private @Nullable String password;

	/**
	 * Virtual host to connect to; spring.rabbitmq's when not set.
	 */
	private @Nullable String virtualHost;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable List<String> getAddresses() {
		return this.addresses;
	}

	public void setAddresses(@Nullable List<String> addresses) {
		this.addresses = addresses;
	}

	public @Nullable String getHost() {
		return this.host;
	}

	public void setHost(@Nullable String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getVirtualHost() {
		return this.virtualHost;
	}

	public void setVirtualHost(@Nullable String virtualHost) {
		this.virtualHost = virtualHost;
	}

	// Whatever a misplaced address holds before an '@' may be a password.
	static String withoutUserInfo(String address) {
		return address.substring(address.lastIndexOf('@') + 1);
	}

	@Override
	public String toString() {
		return "Streams [enabled=" + this.enabled + ", " + ((this.username != null) ? this.username : "(spring.rabbitmq)")
				+ ":" + CredentialMasker.MASK + "@" + ((this.addresses != null) ? String.join(",", this.addresses.stream().map(StreamsProperties::withoutUserInfo).toList())
						: ((this.host != null) ? this.host : "(spring.rabbitmq)") + ":" + this.port)
				+ "]";
	}

}
