package io.hare.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CPU time this JVM has used, which a round attributes to the contender that ran in it:
 * contenders run one at a time, the others' listeners stopped and their publishers idle, so
 * the process's CPU over a round's timed window is what that contender cost (and the little
 * that idle threads, such as heartbeats, cost meanwhile).
 */
final class CpuTime {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private CpuTime() {
	}

	/**
	 * Return the CPU time the process has used so far, user and system, all threads.
	 * @return nanoseconds, or -1 where the JVM cannot tell
	 */
	static long processNanos() {
		return OS.getProcessCpuTime();
	}

	/**
	 * Return the machine's 1-minute load average, as {@code /proc/loadavg} has it.
	 * @return the load average, {@code NaN} where the file cannot be read
	 */
	static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
		}
		catch (Exception ex) {
			double load = OS.getSystemLoadAverage();
			return (load >= 0) ? load : Double.NaN;
		}
	}

	/**
	 * Measure what the JVM spends while no contender runs: the idle threads of every
	 * application set up (heartbeats, schedulers), which each round's CPU includes.
	 * @param period how long to watch
	 * @return a note for the report, such as {@code idle JVM: 3.0 ms CPU per second}
	 */
	static String idleNote(Duration period) throws InterruptedException {
		Map<Long, Long> threadsBefore = threadNanos();
		Window window = new Window();
		long start = System.nanoTime();
		// Watching for a fixed period is the measurement itself, not a wait for something to happen.
		Thread.sleep(period.toMillis());
		long cpu = window.stop();
		double seconds = (System.nanoTime() - start) / 1e9;
		if (cpu < 0) {
			return "";
		}
		// The threads that spent most, by name: which application's idle work it is.
		Map<String, Long> byName = new HashMap<>();
		threadNanos().forEach((id, nanos) -> {
			long spent = nanos - threadsBefore.getOrDefault(id, 0L);
			ThreadInfo info = THREADS.getThreadInfo(id);
			if (spent > 0 && info != null) {
				byName.merge(info.getThreadName().replaceAll("[0-9]+", "#"), spent, Long::sum);
			}
		});
		String top = byName.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(3)
			.map((entry) -> String.format(Locale.ROOT, "%s %.1f ms", entry.getKey(), entry.getValue() / 1e6))
			.collect(Collectors.joining(", "));
		return String.format(Locale.ROOT,
				"idle JVM with every contender set up and none running: %.1f ms CPU per second, included in "
						+ "each round's CPU%s",
				cpu / 1e6 / seconds, " (busiest Java threads in " + period.toSeconds() + " s: " + (top.isEmpty() ? "none" : top)
						+ "; the rest is the JVM's own, JIT and GC)");
	}

	private static Map<Long, Long> threadNanos() {
		Map<Long, Long> nanos = new HashMap<>();
		if (THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled()) {
			for (long id : THREADS.getAllThreadIds()) {
				long time = THREADS.getThreadCpuTime(id);
				if (time >= 0) {
					nanos.put(id, time);
				}
			}
		}
		return nanos;
	}

	/**
	 * Times the CPU over one window: started when made, read with {@link #stop()}.
	 */
	static final class Window {

		private final long start = processNanos();

		/**
		 * Return the CPU time used since the window opened.
		 * @return nanoseconds, or -1 where the JVM cannot tell
		 */
		long stop() {
			long end = processNanos();
			return (this.start < 0 || end < 0) ? -1 : end - this.start;
		}

	}

}
