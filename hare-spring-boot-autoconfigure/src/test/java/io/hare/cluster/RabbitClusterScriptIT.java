package io.hare.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/rabbitmq-cluster.sh} itself: {@code up} gives three running nodes, {@code down}
 * leaves none of their processes, and neither touches the default broker.
 */
// The last cluster test: it takes the cluster down (see junit-platform.properties).
@Order(Integer.MAX_VALUE - 1)
class RabbitClusterScriptIT {

	@Test
	void upRunsThreeClusteredNodesAndDownLeavesNoProcess() throws IOException {
		RabbitCluster cluster = RabbitCluster.get();
		assertThat(cluster.status().lines()).containsExactly("hare-c1@localhost running amqp://127.0.0.1:5681",
				"hare-c2@localhost running amqp://127.0.0.1:5682", "hare-c3@localhost running amqp://127.0.0.1:5683");
		assertThat(nodeProcesses()).hasSize(3);
		List<String> others = otherBrokerProcesses();
		cluster.down();
		assertThat(cluster.runningNodes()).isZero();
		assertThat(nodeProcesses()).as("processes of the cluster's nodes after down").isEmpty();
		assertThat(otherBrokerProcesses()).as("the machine's other brokers").isEqualTo(others);
	}

	/**
	 * Return the process ids of the cluster's nodes, which RabbitMQ 3.10
	 * names in their environment, not their command line.
	 */
	private static List<String> nodeProcesses() throws IOException {
		return beamProcesses().filter((process) -> read(process, "environ").contains("RABBITMQ_NODENAME=hare-c"))
			.map((process) -> process.getFileName().toString())
			.toList();
	}

	private static List<String> otherBrokerProcesses() throws IOException {
		return beamProcesses().filter((process) -> !read(process, "environ").contains("RABBITMQ_NODENAME=hare-c"))
			.map((process) -> process.getFileName().toString())
			.toList();
	}

	private static Stream<Path> beamProcesses() throws IOException {
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			return processes.filter((path) -> path.getFileName().toString().chars().allMatch(Character::isDigit))
				// A broker's VM, not rabbitmqctl's, which runs on one too.
				.filter((process) -> read(process, "cmdline").contains("beam")
						&& read(process, "cmdline").contains("rabbit\0boot"))
				.toList()
				.stream();
		}
	}

	private static String read(Path process, String file) {
		try {
			return Files.readString(process.resolve(file), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			// The process ended while we listed them.
			return "";
		}
	}

}
