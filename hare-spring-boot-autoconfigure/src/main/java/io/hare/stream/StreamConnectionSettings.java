package io.hare.stream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Collectors;

import io.hare.support.CredentialMasker;

import org.springframework.util.Assert;

/**
 * Where and as whom Hare connects over the stream protocol.
 *
 * @param nodes the nodes Hare may ask where streams live, tried in turn: at least one
 * @param username the user to log in as
 * @param password the password, never shown by {@link #toString()}
 * @param virtualHost the virtual host
 */
public record StreamConnectionSettings(List<Node> nodes, String username, String password, String virtualHost) {

	public StreamConnectionSettings {
		Assert.notEmpty(nodes, "'nodes' must not be empty");
		nodes = List.copyOf(nodes);
		Assert.hasText(username, "'username' must not be empty");
		Assert.notNull(password, "'password' must not be null");
		Assert.hasText(virtualHost, "'virtualHost' must not be empty");
	}

	/**
	 * Create settings for a single node.
	 * @param host the host of the node Hare asks where streams live
	 * @param port its stream port, 5552 unless changed
	 * @param username the user to log in as
	 * @param password the password
	 * @param virtualHost the virtual host
	 */
	public StreamConnectionSettings(String host, int port, String username, String password, String virtualHost) {
		this(List.of(new Node(host, port)), username, password, virtualHost);
	}

	/**
	 * Return the nodes as the stream client's URIs, with host and port only: the client takes
	 * user, password and virtual host from its builder when a URI has none, so the password
	 * is never in a URI that the client might log or put in an exception.
	 * @return {@code rabbitmq-stream://host:port} for each node
	 */
	public List<String> uris() {
		return this.nodes.stream().map((node) -> {
			try {
				return new URI("rabbitmq-stream", null, node.host(), node.port(), null, null, null).toString();
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException("Not a host name: " + node.host(), ex);
			}
		}).toList();
	}

	/**
	 * Describe the target without the password.
	 * @return {@code host:port} of each node, virtual host and user
	 */
	String describe() {
		return this.nodes.stream().map(Node::toString).collect(Collectors.joining(",")) + " (virtual host '"
				+ this.virtualHost + "', user '" + this.username + "')";
	}

	@Override
	public String toString() {
		return this.username + ":" + CredentialMasker.MASK + "@"
				+ this.nodes.stream().map(Node::toString).collect(Collectors.joining(",")) + ", virtual host '"
				+ this.virtualHost + "'";
	}

	/**
	 * A node of the cluster, by its stream port.
	 *
	 * @param host the host name or IP address
	 * @param port the stream port
	 */
	public record Node(String host, int port) {

		public Node {
			Assert.hasText(host, "'host' must not be empty");
			Assert.isTrue(port > 0 && port < 65536, "'port' must be between 1 and 65535");
		}

		@Override
		public String toString() {
			return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
		}

	}

}
