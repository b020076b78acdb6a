package io.hare.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import io.hare.support.CredentialMasker;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Where a named connection goes and how it logs in, from its URI or its separate properties.
 * A URI follows the RabbitMQ URI spec: user, password and virtual host are percent-decoded.
 */
record NamedConnectionTarget(String host, int port, String virtualHost, String username, String password,
		boolean ssl) {

	private static final int DEFAULT_PORT = 5672;

	private static final int DEFAULT_TLS_PORT = 5671;

	static NamedConnectionTarget of(String name, HareProperties.Connection connection) {
		boolean ssl = connection.getSsl().isEnabled() || StringUtils.hasText(connection.getSsl().getBundle());
		if (StringUtils.hasText(connection.getUri())) {
			return fromUri(name, connection.getUri(), ssl, connection);
		}
		int port = (connection.getPort() != null) ? connection.getPort() : (ssl ? DEFAULT_TLS_PORT : DEFAULT_PORT);
		return new NamedConnectionTarget(connection.getHost(), port, connection.getVirtualHost(),
				connection.getUsername(), connection.getPassword(), ssl);
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
		int port = (uri.getPort() != -1) ? uri.getPort() : (ssl ? DEFAULT_TLS_PORT : DEFAULT_PORT);
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
		return this.username + ":" + CredentialMasker.MASK + "@" + this.host + ":" + this.port + ", virtual host '"
				+ this.virtualHost + "'" + (this.ssl ? ", TLS" : "");
	}

}
