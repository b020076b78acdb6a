package io.hare.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hare.dedup.CaffeineDedupStore;
import io.hare.dedup.DedupStore;
import io.hare.dedup.DedupTtl;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Claims many distinct keys, shaped as the publisher makes them (SHA-256 in hex), in the
 * dedup store Hare configures from {@code hare.dedup.max-entries}, and weighs the heap after
 * as many keys as the setting allows and after all of them: what it holds must stay bounded
 * by the setting, however many keys pass through.
 */
final class MemoryScenario implements Scenario {

	static final String CONTENDER = "Hare Caffeine dedup store";

	/**
	 * How much the heap after every key may exceed the heap after {@code max-entries} keys:
	 * Caffeine's eviction lags a little behind, and a full GC does not return to the byte.
	 */
	static final double ALLOWED_GROWTH = 1.25;

	@Override
	public String id() {
		return "memory";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		try (ConfigurableApplicationContext application = SpringContexts.start(HarePublishApplication.class,
				context.broker().address(), Map.of("hare.dedup.max-entries", options.dedupMaxEntries()))) {
			DedupStore store = application.getBean(DedupStore.class);
			if (!(store instanceof CaffeineDedupStore caffeine)) {
				throw new IllegalStateException("Expected Hare's Caffeine store, got " + store.getClass().getName());
			}
			DedupTtl ttl = DedupTtl.of(Duration.ofHours(1));
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			HexFormat hex = HexFormat.of();
			double before = usedHeapMegabytes();
			long start = System.nanoTime();
			int keys = options.dedupKeys();
			double atSetting = Double.NaN;
			for (int i = 0; i < keys; i++) {
				String key = hex.formatHex(sha256.digest(("order-" + i).getBytes(StandardCharsets.UTF_8)));
				if (!caffeine.claim(key, ttl)) {
					throw new IllegalStateException("Key " + i + " was already claimed");
				}
				if (i + 1 == options.dedupMaxEntries()) {
					caffeine.cleanUp();
					atSetting = usedHeapMegabytes() - before;
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			caffeine.cleanUp();
			double after = usedHeapMegabytes() - before;
			long size = caffeine.estimatedSize();
			boolean bounded = size <= options.dedupMaxEntries() && after <= atSetting * ALLOWED_GROWTH + 2;
			Measurement measurement = Measurement.throughput(id(), CONTENDER, 1, keys, seconds);
			context.report().addMeasurements(List.of(measurement));
			context.report()
				.add(List.of(new ResultRow(id(), CONTENDER, measurement.rate(), Double.NaN, Double.NaN, null,
						String.format(Locale.ROOT, "heap after %,d keys ≤ %.2f × heap after %,d", keys, ALLOWED_GROWTH,
								options.dedupMaxEntries()),
						bounded,
						String.format(Locale.ROOT,
								"heap +%.1f MB after %,d keys, +%.1f MB after %,d keys; %,d entries held (max-entries %,d); "
										+ "rate = claims/s",
								atSetting, options.dedupMaxEntries(), after, keys, size, options.dedupMaxEntries()))));
		}
	}

	private static double usedHeapMegabytes() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
	}

}
