package io.hare.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.hare.support.CredentialMasker;

import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails.Address;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Where a named connection goes and how it logs in, from its URI or its separate properties.
 * A URI follows the RabbitMQ URI spec: user, password and virtual host are percent-decoded.
 *
 * @param host the first node's host
 * @param port the first node's port
 * @param addresses every node, the first node first
 * @param virtualHost the virtual host
 * @param username the user
 * @param password the password
 * @param ssl whether to use TLS
 */
record NamedConnectionTarget(String host, int port, List<Address> addresses, String virtualHost, String username,
		String password, boolean ssl) {

	private static final int DEFAULT_PORT = 5672;

	private static final int DEFAULT_TLS_PORT = 5671;

	NamedConnectionTarget {
		addresses = List.copyOf(addresses);
	}

	NamedConnectionTarget(String host, int port, String virtualHost, String username, String password, boolean ssl) {
		this(host, port, List.of(new Address(host, port)), virtualHost, username, password, ssl);
	}

	static NamedConnectionTarget of(String name, HareProperties.Connection connection) {
		boolean ssl = connection.getSsl().isEnabled() || StringUtils.hasText(connection.getSsl().getBundle());
		NamedConnectionTarget target;
		if (StringUtils.hasText(connection.getUri())) {
			target = fromUri(name, connection.getUri(), ssl, connection);
		}
		else {
			int port = (connection.getPort() != null) ? connection.getPort() : defaultPort(ssl);
			target = new NamedConnectionTarget(connection.getHost(), port, connection.getVirtualHost(),
					connection.getUsername(), connection.getPassword(), ssl);
		}
		return connection.getAddresses().isEmpty() ? target : target.withAddresses(name, connection.getAddresses());
	}

	private NamedConnectionTarget withAddresses(String name, List<String> entries) {
		List<Address> addresses = new ArrayList<>();
		for (String entry : entries) {
			addresses.add(address(name, entry));
		}
		Address first = addresses.get(0);
		return new NamedConnectionTarget(first.host(), first.port(), addresses, this.virtualHost, this.username,
				this.password, this.ssl);
	}

	private Address address(String name, String entry) {
		String text = entry.trim();
		int colon = text.lastIndexOf(':');
		String host = (colon >= 0) ? text.substring(0, colon) : text;
		int port = defaultPort(this.ssl);
		if (colon >= 0) {
			try {
				port = Integer.parseInt(text.substring(colon + 1));
			}
			catch (NumberFormatException ex) {
				port = -1;
			}
		}
		if (!StringUtils.hasText(host) || host.contains("/") || host.contains("@") || port < 1 || port > 65535) {
			throw new InvalidConfigurationPropertyValueException("hare.connections." + name + ".addresses",
					CredentialMasker.mask(entry), "each address must be host or host:port, such as mq-1.internal:5672");
		}
		return new Address(host, port);
	}

	private static int defaultPort(boolean ssl) {
		return ssl ? DEFAULT_TLS_PORT : DEFAULT_PORT;
	}

	private static NamedConnectionTarget fromUri(String name, String text, boolean sslProperty,
			HareProperties.Connection connection) {
		URI uri;
		try {
			uri = new URI(text.trim());
		}
		catch (URISyntaxException ex) {
			throw invalid(name, text, "not a URI such as amqp://user:secret@host:5672/vhost");
		}
		String scheme = uri.getScheme();
		if (!"amqp".equalsIgnoreCase(scheme) && !"amqps".equalsIgnoreCase(scheme)) {
			throw invalid(name, text, "the scheme must be amqp or amqps");
		}
		if (!StringUtils.hasText(uri.getHost())) {
			throw invalid(name, text, "it names no host");
		}
		boolean ssl = sslProperty || "amqps".equalsIgnoreCase(scheme);
		int port = (uri.getPort() != -1) ? uri.getPort() : defaultPort(ssl);
		String username = connection.getUsername();
		String password = connection.getPassword();
		String userInfo = uri.getRawUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			username = decode((colon >= 0) ? userInfo.substring(0, colon) : userInfo);
			password = (colon >= 0) ? decode(userInfo.substring(colon + 1)) : "";
		}
		// RabbitMQ URIs: no path is the default virtual host, "/x" is "x", "/%2F" is "/".
		String path = uri.getRawPath();
		String virtualHost = (path == null || path.isEmpty() || path.equals("/")) ? connection.getVirtualHost()
				: decode(path.substring(1));
		return new NamedConnectionTarget(uri.getHost(), port, virtualHost, username, password, ssl);
	}

	private static String decode(String text) {
		return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, @Nullable String uri,
			String reason) {
		return new InvalidConfigurationPropertyValueException("hare.connections." + name + ".uri",
				CredentialMasker.mask(uri), reason);
	}

	@Override
	public String toString() {
		return this.username + ":" + CredentialMasker.MASK + "@" + this.addresses.stream().map((address) -> address.host() + ":" + address.port()).collect(Collectors.joining(",")) + ", virtual host '"
				+ this.virtualHost + "'" + (this.ssl ? ", TLS" : "");
	}

}
