package io.hare.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.perf.PerfTest;
import org.jspecify.annotations.Nullable;

/**
 * Runs RabbitMQ PerfTest in this JVM through its main class and reads its summary: the rates
 * it measured from the moment all its agents had started, and its confirm latency.
 */
final class PerfTestRunner {

	private static final Pattern SENDING = Pattern.compile("sending rate avg: ([0-9.]+) msg/s");

	private static final Pattern RECEIVING = Pattern.compile("receiving rate avg: ([0-9.]+) msg/s");

	private static final Pattern CONFIRM_LATENCY = Pattern
		.compile("confirm latency min/median/75th/95th/99th ([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+) (ms|µs)");

	private PerfTestRunner() {
	}

	/**
	 * Run PerfTest.
	 * @param broker the broker
	 * @param arguments PerfTest's arguments, without the URI
	 * @return its summary
	 * @throws IllegalStateException if it failed or printed no summary
	 */
	static Summary run(BenchmarkOptions.Broker broker, String... arguments) {
		List<String> args = new ArrayList<>(List.of("--uri", broker.uri(), "--interval", "1"));
		args.addAll(List.of(arguments));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		AtomicInteger status = new AtomicInteger(-1);
		PrintStream systemOut = System.out;
		try (PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8)) {
			// PerfTest prints some lines straight to System.out: keep them with its other output.
			System.setOut(console);
			PerfTest.main(args.toArray(String[]::new), new PerfTest.PerfTestOptions().setSystemExiter(status::set)
				.setSkipSslContextConfiguration(true)
				.setConsoleOut(console)
				.setConsoleErr(console)
				// PerfTest reads PERF_TEST_* environment variables otherwise.
				.setArgumentLookup((name) -> null));
		}
		finally {
			System.setOut(systemOut);
		}
		String output = out.toString(StandardCharsets.UTF_8);
		if (status.get() != 0) {
			throw new IllegalStateException("PerfTest exited with " + status.get() + ": " + output);
		}
		Double sending = find(SENDING, output, 1);
		Double receiving = find(RECEIVING, output, 1);
		if (sending == null || receiving == null) {
			throw new IllegalStateException("PerfTest printed no summary: " + output);
		}
		return new Summary(sending, receiving, millis(output, 2), millis(output, 5));
	}

	private static @Nullable Double millis(String output, int group) {
		Matcher matcher = CONFIRM_LATENCY.matcher(output);
		if (!matcher.find()) {
			return null;
		}
		double value = Double.parseDouble(matcher.group(group));
		return matcher.group(6).equals("ms") ? value : value / 1000;
	}

	private static @Nullable Double find(Pattern pattern, String output, int group) {
		Matcher matcher = pattern.matcher(output);
		return matcher.find() ? Double.valueOf(matcher.group(group)) : null;
	}

	/**
	 * What PerfTest measured.
	 *
	 * @param sendingRate the messages published per second
	 * @param receivingRate the messages consumed per second
	 * @param confirmP50Millis the median confirm latency, {@code null} without confirms
	 * @param confirmP99Millis the 99th percentile confirm latency, {@code null} without confirms
	 */
	record Summary(double sendingRate, double receivingRate, @Nullable Double confirmP50Millis,
			@Nullable Double confirmP99Millis) {
	}

}
