package io.hare.dedup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CaffeineDedupStore}: atomic claims, release, per-entry expiry and the size bound.
 */
class CaffeineDedupStoreTests {

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	@Test
	void claimsAKeyOnlyOnceUntilReleased() {
		CaffeineDedupStore store = new CaffeineDedupStore(100, this.ticker);
		assertThat(store.claim("a", DedupTtl.of(Duration.ofMinutes(1)))).isTrue();
		assertThat(store.claim("a", DedupTtl.of(Duration.ofMinutes(1)))).isFalse();
		assertThat(store.claim("b", DedupTtl.of(Duration.ofMinutes(1)))).isTrue();
		store.release("a");
		assertThat(store.claim("a", DedupTtl.of(Duration.ofMinutes(1)))).isTrue();
	}

	@Test
	void eachClaimExpiresAfterItsOwnTtl() {
		CaffeineDedupStore store = new CaffeineDedupStore(100, this.ticker);
		store.claim("short", DedupTtl.of(Duration.ofSeconds(1)));
		store.claim("long", DedupTtl.of(Duration.ofMinutes(10)));
		store.claim("forever", DedupTtl.INFINITE);
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(store.claim("short", DedupTtl.of(Duration.ofSeconds(1)))).as("expired").isTrue();
		assertThat(store.claim("long", DedupTtl.of(Duration.ofMinutes(10)))).as("still live").isFalse();
		this.nanos.addAndGet(Duration.ofDays(365).toNanos());
		assertThat(store.claim("long", DedupTtl.of(Duration.ofMinutes(10)))).as("expired").isTrue();
		assertThat(store.claim("forever", DedupTtl.INFINITE)).as("never expires").isFalse();
	}

	@Test
	void holdsAtMostMaxEntries() {
		CaffeineDedupStore store = new CaffeineDedupStore(10);
		for (int i = 0; i < 1_000; i++) {
			store.claim("key-" + i, DedupTtl.INFINITE);
		}
		store.cleanUp();
		assertThat(store.estimatedSize()).isLessThanOrEqualTo(10);
	}

	@Test
	void concurrentClaimsOfOneKeyHaveExactlyOneWinner() throws Exception {
		CaffeineDedupStore store = new CaffeineDedupStore(1_000);
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 50; round++) {
				String key = "round-" + round;
				List<Callable<Boolean>> claims = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					claims.add(() -> store.claim(key, DedupTtl.of(Duration.ofMinutes(1))));
				}
				int winners = 0;
				for (Future<Boolean> claim : executor.invokeAll(claims)) {
					winners += claim.get() ? 1 : 0;
				}
				assertThat(winners).as("winners of %s", key).isEqualTo(1);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

}
