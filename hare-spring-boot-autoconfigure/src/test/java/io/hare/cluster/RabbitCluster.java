package io.hare.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.AddressShuffleMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The local 3-node cluster of {@code scripts/rabbitmq-cluster.sh}, brought up when it is not
 * running; nodes {@code hare-c1..3@localhost} on ports 5681 to 5683, never the 5672 broker.
 */
final class RabbitCluster {

	static final int NODES = 3;

	private static final int FIRST_PORT = 5681;

	/**
	 * The port of node 1's TLS listener, which requires a client certificate.
	 */
	static final int TLS_PORT = 5691;

	private static RabbitCluster instance;

	private final Path script;

	private RabbitCluster(Path script) {
		this.script = script;
	}

	/**
	 * Return the cluster, started through the script if not all three nodes run.
	 * @return the running cluster
	 * @throws IllegalStateException if the script is missing or the cluster cannot start, for
	 * example because {@code rabbitmq-server} is not installed
	 */
	static synchronized RabbitCluster get() {
		if (instance == null) {
			instance = new RabbitCluster(findScript());
		}
		instance.ensureUp();
		return instance;
	}

	private static Path findScript() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			Path candidate = directory.resolve("scripts").resolve("rabbitmq-cluster.sh");
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("The cluster tests need scripts/rabbitmq-cluster.sh of the Hare repository, "
				+ "looked for from " + Path.of("").toAbsolutePath());
	}

	void ensureUp() {
		if (runningNodes() < NODES) {
			run("up");
		}
	}

	/**
	 * Return how many nodes the script reports running.
	 * @return 0 to 3
	 */
	int runningNodes() {
		return (int) run("status").lines().filter((line) -> line.contains(" running ")).count();
	}

	String status() {
		return run("status");
	}

	void down() {
		run("down");
	}

	void stopNode(int node) {
		run("stop-node", String.valueOf(node));
	}

	void startNode(int node) {
		run("start-node", String.valueOf(node));
	}

	/**
	 * Return the folder of the script's test certificates, making sure node 1 listens with TLS
	 * on {@link #TLS_PORT} (a node started by an older script may not: it is restarted).
	 * @return the folder with ca.pem, client.pem, client.key and other-ca.pem
	 */
	Path tls() {
		if (!listening(TLS_PORT)) {
			stopNode(1);
			startNode(1);
		}
		return Path.of(run("tls-dir").strip());
	}

	private static boolean listening(int port) {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

	/**
	 * Return the node leading a quorum queue.
	 * @param queue the queue
	 * @return its node's number, 1 to 3
	 */
	int leader(String queue) {
		return Integer.parseInt(run("leader", queue).strip());
	}

	/**
	 * Return what the broker says of the queues whose name starts with a prefix: one line
	 * each with type, leader, online members, messages, ready and unacknowledged, for a test
	 * that says where its messages wait when it fails (a passive declare counts ready ones only).
	 * @param prefix the start of the names
	 * @return the lines
	 */
	String queues(String prefix) {
		return run("queues", prefix);
	}

	/**
	 * Return the node a connection factory's connection is open to, opening it if needed.
	 * @param connectionFactory a connection factory on the cluster
	 * @return the node's number, 1 to 3
	 */
	static int node(ConnectionFactory connectionFactory) {
		return connectionFactory.createConnection().getDelegate().getPort() - FIRST_PORT + 1;
	}

	static int port(int node) {
		return FIRST_PORT + node - 1;
	}

	static String nodeName(int node) {
		return "hare-c" + node + "@localhost";
	}

	/**
	 * Return every node's address, as {@code spring.rabbitmq.addresses} takes them.
	 * @return {@code 127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683}
	 */
	static String addresses() {
		return String.join(",", IntStream.rangeClosed(1, NODES).mapToObj((node) -> "127.0.0.1:" + port(node)).toList());
	}

	/**
	 * Return the {@code spring.rabbitmq.*} properties that point Spring Boot at the cluster.
	 * @return the properties as {@code key=value}
	 */
	static String[] springProperties() {
		return new String[] { "spring.rabbitmq.addresses=" + addresses(), "spring.rabbitmq.username=guest",
				"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=/" };
	}

	/**
	 * Create a connection factory on every node, shuffled, for a test's own publishing and
	 * inspection.
	 * @return a new connection factory, to be destroyed by the caller
	 */
	static CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory();
		connectionFactory.setAddresses(addresses());
		connectionFactory.setAddressShuffleMode(AddressShuffleMode.RANDOM);
		connectionFactory.setUsername("guest");
		connectionFactory.setPassword("guest");
		connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		return connectionFactory;
	}

	private String run(String... arguments) {
		List<String> command = new ArrayList<>(List.of("bash", this.script.toString()));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed (the cluster tests need "
						+ "rabbitmq-server installed on this machine): " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

}
