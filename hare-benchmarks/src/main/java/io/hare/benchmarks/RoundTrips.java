package io.hare.benchmarks;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import com.rabbitmq.client.Command;
import com.rabbitmq.client.TrafficListener;

import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;

/**
 * Counts the AMQP methods a client sends that wait for the broker's reply (declarations,
 * channel opens, consumes, …), by method and by whether the application's main thread sent
 * them: a figure of start-up cost that, unlike time, does not depend on what else the machine
 * runs.
 */
final class RoundTrips implements TrafficListener, ConnectionFactoryCustomizer {

	// Sent without waiting for a reply, or a reply themselves.
	private static final Set<String> ASYNCHRONOUS = Set.of("basic.publish", "basic.ack", "basic.nack",
			"basic.reject", "channel.close-ok", "connection.close-ok", "channel.flow-ok", "connection.start-ok",
			"connection.tune-ok");

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	@Override
	public void customize(com.rabbitmq.client.ConnectionFactory factory) {
		factory.setTrafficListener(this);
	}

	@Override
	public void write(Command command) {
		String method = command.getMethod().protocolMethodName();
		if (!ASYNCHRONOUS.contains(method)) {
			String thread = "main".equals(Thread.currentThread().getName()) ? "main" : "other";
			this.counts.computeIfAbsent(thread + " " + method, (key) -> new LongAdder()).increment();
		}
	}

	@Override
	public void read(Command command) {
	}

	/**
	 * Return the round trips so far.
	 * @return the number of methods sent that wait for a reply
	 */
	long total() {
		return this.counts.values().stream().mapToLong(LongAdder::sum).sum();
	}

	/**
	 * Return the round trips the main thread waited for so far.
	 * @return the number of methods the main thread sent that wait for a reply
	 */
	long onMainThread() {
		return this.counts.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith("main "))
			.mapToLong((entry) -> entry.getValue().sum())
			.sum();
	}

	/**
	 * Describe the round trips by thread and method, per listener.
	 * @param listeners the number of listeners
	 * @return for example {@code main queue.declare 3.00, other basic.consume 1.00}
	 */
	String describe(int listeners) {
		return new TreeMap<>(this.counts).entrySet()
			.stream()
			.map((entry) -> String.format(java.util.Locale.ROOT, "%s %.2f", entry.getKey(),
					entry.getValue().sum() / (double) listeners))
			.collect(Collectors.joining(", "));
	}

}
