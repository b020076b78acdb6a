package io.hare.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The local 3-node cluster of {@code scripts/rabbitmq-cluster.sh} (nodes on 127.0.0.1:5681 to
 * 5683), which the cluster scenario needs running; it stops and starts nodes through the script,
 * never the broker on 5672.
 */
final class LocalCluster {

	static final int NODES = 3;

	private static final int FIRST_PORT = 5681;

	private final Path script;

	private final BenchmarkOptions.Broker broker;

	private LocalCluster(Path script, BenchmarkOptions.Broker broker) {
		this.script = script;
		this.broker = broker;
	}

	/**
	 * Return the cluster, checking that all three nodes accept connections.
	 * @param broker the benchmarks' broker, whose user the cluster's nodes share
	 * @return the cluster
	 * @throws IllegalStateException if the script is missing or a node is not running
	 */
	static LocalCluster running(BenchmarkOptions.Broker broker) {
		Path script = findScript();
		for (int node = 1; node <= NODES; node++) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port(node)), 1_000);
			}
			catch (IOException ex) {
				throw new IllegalStateException("The cluster scenario needs the local 3-node cluster running: start it "
						+ "with 'scripts/rabbitmq-cluster.sh up' (and stop it with 'down' afterwards). Node " + node
						+ " does not accept connections on 127.0.0.1:" + port(node));
			}
		}
		return new LocalCluster(script, new BenchmarkOptions.Broker("127.0.0.1", FIRST_PORT, broker.username(),
				broker.password(), broker.virtualHost()));
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
		throw new IllegalStateException("The cluster scenario needs scripts/rabbitmq-cluster.sh: run the benchmarks "
				+ "from the Hare repository");
	}

	static int port(int node) {
		return FIRST_PORT + node - 1;
	}

	/**
	 * Return node 1 as the benchmarks' broker, for publishing backlogs and reading depths.
	 * @return the broker
	 */
	BenchmarkOptions.Broker broker() {
		return this.broker;
	}

	/**
	 * Return the addresses of all nodes, the given one first, for
	 * {@code spring.rabbitmq.addresses}: a connection goes to that node while it runs.
	 * @param first the node to connect to first
	 * @return the addresses
	 */
	String addresses(int first) {
		List<Integer> nodes = new ArrayList<>(List.of(first));
		IntStream.rangeClosed(1, NODES).filter((node) -> node != first).forEach(nodes::add);
		return nodes.stream().map((node) -> "127.0.0.1:" + port(node)).collect(Collectors.joining(","));
	}

	int leader(String queue) {
		return Integer.parseInt(run("leader", queue).strip());
	}

	void stopNode(int node) {
		run("stop-node", Integer.toString(node));
	}

	void startNode(int node) {
		run("start-node", Integer.toString(node));
	}

	private String run(String... arguments) {
		List<String> command = new ArrayList<>(List.of("bash", this.script.toString()));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException("rabbitmq-cluster.sh " + String.join(" ", arguments) + " failed: "
						+ output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + this.script, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + this.script, ex);
		}
	}

}
