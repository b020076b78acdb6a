package io.hare.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the local broker through {@code rabbitmqctl} what AMQP does not tell: the queues by
 * name, and the memory it uses. The benchmarks only run against a broker on this machine.
 */
final class RabbitCtl {

	private static final JsonMapper MAPPER = new JsonMapper();

	private final String virtualHost;

	RabbitCtl(String virtualHost) {
		this.virtualHost = virtualHost;
	}

	/**
	 * Return the queues of the virtual host whose names start with a prefix.
	 * @param prefix the prefix
	 * @return their names
	 */
	List<String> queues(String prefix) throws IOException, InterruptedException {
		List<String> queues = new ArrayList<>();
		for (String line : run("list_queues", "-p", this.virtualHost, "name", "--quiet", "--no-table-headers")
			.split("\n")) {
			if (line.trim().startsWith(prefix)) {
				queues.add(line.trim());
			}
		}
		return queues;
	}

	/**
	 * Return the memory the broker uses, as {@code rabbitmqctl status} reports its total (by
	 * the broker's own calculation strategy, RSS by default).
	 * @return bytes
	 */
	long memoryBytes() throws IOException, InterruptedException {
		JsonNode status = MAPPER.readTree(run("status", "--formatter", "json"));
		JsonNode total = status.path("memory").path("total");
		String strategy = status.path("vm_memory_calculation_strategy").asString("rss");
		JsonNode value = total.has(strategy) ? total.get(strategy) : total.path("rss");
		return value.asLong();
	}

	private static String run(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add("rabbitmqctl");
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
		byte[] out = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroy();
			throw new IOException("rabbitmqctl " + String.join(" ", arguments) + " failed: "
					+ new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
		}
		return new String(out, StandardCharsets.UTF_8);
	}

}
