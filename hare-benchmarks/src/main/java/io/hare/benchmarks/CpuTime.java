package io.hare.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The CPU time this JVM has used, which a round attributes to the contender that ran in it:
 * contenders run one at a time, the others' listeners stopped and their publishers idle, so
 * the process's CPU over a round's timed window is what that contender cost (and the little
 * that idle threads, such as heartbeats, cost meanwhile).
 */
final class CpuTime {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

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
		Window window = new Window();
		long start = System.nanoTime();
		// Watching for a fixed period is the measurement itself, not a wait for something to happen.
		Thread.sleep(period.toMillis());
		long cpu = window.stop();
		double seconds = (System.nanoTime() - start) / 1e9;
		return (cpu < 0) ? "" : String.format(Locale.ROOT,
				"idle JVM with every contender set up and none running: %.1f ms CPU per second, included in "
						+ "each round's CPU",
				cpu / 1e6 / seconds);
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
