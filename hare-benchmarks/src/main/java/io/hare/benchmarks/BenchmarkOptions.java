package io.hare.benchmarks;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.convert.DurationStyle;

/**
 * What to run and how big: read from {@code --name=value} arguments, with the issue's sizes as
 * defaults and {@code --quick} for the small sizes used while developing.
 *
 * @param scenarios the scenarios to run, in order
 * @param messages the messages per round of the throughput scenarios
 * @param rounds the measured rounds per scenario
 * @param warmup the rounds run first and thrown away
 * @param prefetch the prefetch of every consumer
 * @param concurrency the consumers of every listener
 * @param payloadBytes the size of each JSON message
 * @param inFlight the unconfirmed messages an asynchronous publisher may have
 * @param blockingMessages the messages per round of the blocking publish scenario, each
 * waiting for its confirm
 * @param retryMessages the failing messages of the retry scenario
 * @param retryDelays the delays of the retry scenario's cascade
 * @param scalerBacklog the backlog of the auto-scaler scenario
 * @param scalerHandlerTime how long the auto-scaler scenario's handler works on a message
 * @param dedupKeys the distinct keys of the memory scenario
 * @param dedupMaxEntries the {@code max-entries} of the memory scenario's store
 * @param listenerCounts the numbers of listeners the listeners scenario starts
 * @param delayMessages the delayed messages of the delays scenario
 * @param delayMin the shortest random delay of the delays scenario
 * @param delayMax the longest random delay of the delays scenario
 * @param backlogSizes the backlogs the backlog scenario drains
 * @param results where the report is written
 * @param broker the broker to run against, on this machine
 */
public record BenchmarkOptions(List<String> scenarios, int messages, int rounds, int warmup, int prefetch,
		int concurrency, int payloadBytes, int inFlight, int blockingMessages, int retryMessages,
		List<Duration> retryDelays, int scalerBacklog, Duration scalerHandlerTime, int dedupKeys,
		int dedupMaxEntries, List<Integer> listenerCounts, int delayMessages, Duration delayMin, Duration delayMax,
		List<Integer> backlogSizes, Path results, Broker broker) {

	/**
	 * Every scenario, in the order they run by default.
	 */
	public static final List<String> ALL_SCENARIOS = List.of("drain", "hot-path", "retry", "publish-async",
			"publish-blocking", "dedup", "autoscaler", "memory", "outbox", "batch", "stream", "listeners", "delays",
			"backlog", "cluster");

	private static final Map<String, String> DEFAULTS = defaults();

	private static final Map<String, String> QUICK = Map.ofEntries(Map.entry("messages", "5000"),
			Map.entry("rounds", "2"), Map.entry("warmup", "1"), Map.entry("blocking-messages", "1000"),
			Map.entry("retry-messages", "200"), Map.entry("scaler-backlog", "1000"), Map.entry("dedup-keys", "50000"),
			Map.entry("dedup-max-entries", "10000"), Map.entry("listener-counts", "10,50"),
			Map.entry("delay-messages", "500"), Map.entry("delay-max", "5s"),
			Map.entry("backlog-sizes", "2000,10000"));

	private static Map<String, String> defaults() {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("scenarios", String.join(",", ALL_SCENARIOS));
		defaults.put("messages", "100000");
		// Seven rounds after two warm-ups: the JIT has settled, and one odd round moves no median.
		defaults.put("rounds", "7");
		defaults.put("warmup", "2");
		defaults.put("prefetch", "250");
		defaults.put("concurrency", "2");
		defaults.put("payload-bytes", "1024");
		defaults.put("in-flight", "128");
		defaults.put("blocking-messages", "10000");
		defaults.put("retry-messages", "1000");
		defaults.put("retry-delays", "1s,2s");
		defaults.put("scaler-backlog", "20000");
		defaults.put("scaler-handler-time", "5ms");
		defaults.put("dedup-keys", "1000000");
		defaults.put("dedup-max-entries", "100000");
		defaults.put("listener-counts", "10,100,500");
		defaults.put("delay-messages", "100000");
		defaults.put("delay-min", "1s");
		defaults.put("delay-max", "60s");
		defaults.put("backlog-sizes", "10000,100000,1000000");
		defaults.put("results", "");
		return defaults;
	}

	/**
	 * Read the options from the command line; the broker from {@code spring.rabbitmq.*}
	 * system properties or {@code SPRING_RABBITMQ_*} environment variables.
	 * @param args {@code --name=value} pairs, or {@code --quick}, or {@code --help}
	 * @return the options
	 * @throws IllegalArgumentException if an argument is unknown or invalid
	 */
	public static BenchmarkOptions parse(String... args) {
		Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
		List<String> arguments = Arrays.asList(args);
		if (arguments.contains("--quick")) {
			values.putAll(QUICK);
		}
		for (String argument : arguments) {
			if (argument.equals("--quick")) {
				continue;
			}
			int equals = argument.indexOf('=');
			if (!argument.startsWith("--") || equals < 0 || !DEFAULTS.containsKey(argument.substring(2, equals))) {
				throw new IllegalArgumentException("Unknown argument '" + argument + "'; known: --quick and "
						+ DEFAULTS.keySet().stream().map((key) -> "--" + key + "=").toList());
			}
			values.put(argument.substring(2, equals), argument.substring(equals + 1));
		}
		List<String> scenarios = split(values.get("scenarios"));
		scenarios.stream()
			.filter((scenario) -> !ALL_SCENARIOS.contains(scenario))
			.findFirst()
			.ifPresent((unknown) -> {
				throw new IllegalArgumentException("Unknown scenario '" + unknown + "'; known: " + ALL_SCENARIOS);
			});
		return new BenchmarkOptions(scenarios, positive(values, "messages"), positive(values, "rounds"),
				number(values, "warmup"), positive(values, "prefetch"), positive(values, "concurrency"),
				positive(values, "payload-bytes"), positive(values, "in-flight"), positive(values, "blocking-messages"),
				positive(values, "retry-messages"),
				split(values.get("retry-delays")).stream().map(DurationStyle::detectAndParse).toList(),
				positive(values, "scaler-backlog"), DurationStyle.detectAndParse(values.get("scaler-handler-time")),
				positive(values, "dedup-keys"), positive(values, "dedup-max-entries"), counts(values, "listener-counts"),
				positive(values, "delay-messages"), DurationStyle.detectAndParse(values.get("delay-min")),
				DurationStyle.detectAndParse(values.get("delay-max")), counts(values, "backlog-sizes"),
				resultsDirectory(values.get("results")), Broker.fromEnvironment());
	}

	/**
	 * Whether these are smaller than the issue's sizes, so that the figures say little.
	 * @return whether the run is a small one
	 */
	public boolean small() {
		return this.messages < Integer.parseInt(DEFAULTS.get("messages"))
				|| this.rounds < Integer.parseInt(DEFAULTS.get("rounds"));
	}

	private static Path resultsDirectory(String value) {
		if (!value.isEmpty()) {
			return Path.of(value);
		}
		// From the repository root (the documented command) the results land in the module.
		return Files.isDirectory(Path.of("hare-benchmarks")) ? Path.of("hare-benchmarks", "results")
				: Path.of("results");
	}

	private static List<String> split(String value) {
		return Arrays.stream(value.split(",")).map(String::trim).filter((part) -> !part.isEmpty()).toList();
	}

	private static List<Integer> counts(Map<String, String> values, String key) {
		List<Integer> counts = split(values.get(key)).stream().map((count) -> {
			try {
				return Integer.parseInt(count.replace("_", ""));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--" + key + " must be numbers, not '" + values.get(key) + "'");
			}
		}).sorted().toList();
		if (counts.isEmpty() || counts.get(0) <= 0) {
			throw new IllegalArgumentException("--" + key + " must be positive numbers");
		}
		return counts;
	}

	private static int number(Map<String, String> values, String key) {
		try {
			int number = Integer.parseInt(values.get(key).replace("_", ""));
			if (number < 0) {
				throw new IllegalArgumentException("--" + key + " must not be negative");
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + key + " must be a number, not '" + values.get(key) + "'");
		}
	}

	private static int positive(Map<String, String> values, String key) {
		int number = number(values, key);
		if (number == 0) {
			throw new IllegalArgumentException("--" + key + " must be positive");
		}
		return number;
	}

	/**
	 * The broker the benchmarks run against; only one on this machine, so that no benchmark
	 * traffic leaves it.
	 *
	 * @param host the host, a loopback address
	 * @param port the AMQP port
	 * @param username the user
	 * @param password the password, never printed
	 * @param virtualHost the virtual host
	 */
	public record Broker(String host, int port, String username, String password, String virtualHost) {

		public Broker {
			try {
				if (!InetAddress.getByName(host).isLoopbackAddress()) {
					throw new IllegalArgumentException("The benchmarks run against a broker on this machine only, not '"
							+ host + "'");
				}
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException("Unknown broker host '" + host + "'", ex);
			}
		}

		static Broker fromEnvironment() {
			return new Broker(setting("host", "127.0.0.1"), Integer.parseInt(setting("port", "5672")),
					setting("username", "guest"), setting("password", "guest"), setting("virtual-host", "/"));
		}

		private static String setting(String name, String fallback) {
			String value = System.getProperty("spring.rabbitmq." + name);
			if (value == null) {
				value = System.getenv("SPRING_RABBITMQ_" + name.replace('-', '_').toUpperCase());
			}
			return (value != null && !value.isEmpty()) ? value : fallback;
		}

		/**
		 * Return the {@code spring.rabbitmq.*} properties that point a Spring Boot context here.
		 * @return the properties
		 */
		public Map<String, Object> springProperties() {
			return Map.of("spring.rabbitmq.host", this.host, "spring.rabbitmq.port", this.port,
					"spring.rabbitmq.username", this.username, "spring.rabbitmq.password", this.password,
					"spring.rabbitmq.virtual-host", this.virtualHost);
		}

		/**
		 * Return where the broker is, without the password.
		 * @return the masked address
		 */
		public String masked() {
			return "amqp://" + this.username + ":****@" + this.host + ":" + this.port + virtualHostPath();
		}

		/**
		 * Return the URI PerfTest connects with; it holds the password, so it is never printed.
		 * @return the URI
		 */
		String uri() {
			return "amqp://" + encode(this.username) + ":" + encode(this.password) + "@" + this.host + ":" + this.port
					+ virtualHostPath();
		}

		private String virtualHostPath() {
			return "/" + encode(this.virtualHost);
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
		}

		@Override
		public String toString() {
			return masked();
		}

	}

	/**
	 * Return the value of a setting, for the report's header.
	 * @return the settings as {@code name=value}
	 */
	public Map<String, Object> describe() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("messages", this.messages);
		settings.put("rounds", this.rounds);
		settings.put("warmup", this.warmup);
		settings.put("prefetch", this.prefetch);
		settings.put("concurrency", this.concurrency);
		settings.put("payload-bytes", this.payloadBytes);
		settings.put("in-flight", this.inFlight);
		settings.put("blocking-messages", this.blockingMessages);
		settings.put("retry-messages", this.retryMessages);
		settings.put("retry-delays", this.retryDelays);
		settings.put("scaler-backlog", this.scalerBacklog);
		settings.put("scaler-handler-time", this.scalerHandlerTime);
		settings.put("dedup-keys", this.dedupKeys);
		settings.put("dedup-max-entries", this.dedupMaxEntries);
		settings.put("listener-counts", this.listenerCounts);
		settings.put("delay-messages", this.delayMessages);
		settings.put("delay-min", this.delayMin);
		settings.put("delay-max", this.delayMax);
		settings.put("backlog-sizes", this.backlogSizes);
		return settings;
	}

}
