package io.hare.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.publish.HarePublisher;
import io.hare.publish.PublishRequest;
import io.hare.publish.PublishResult;
import io.hare.support.CredentialMasker;

import org.springframework.dao.DataAccessException;

/**
 * The thread that sends committed outbox rows: claims a batch, publishes each row through its
 * publisher (confirms, deduplication and delays as for any publish), and goes on to claim the
 * next while a settling thread deletes the rows the broker confirmed and gives the others back
 * with a backoff. It runs when woken (a commit on this instance, a PostgreSQL notification) and
 * otherwise every poll interval.
 */
final class OutboxRelay implements Runnable {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private static final ThreadLocal<Boolean> RELAYING = new ThreadLocal<>();

	/**
	 * The most batches sent and not yet settled: the next is claimed while the confirms of the
	 * previous ones are on their way.
	 */
	static final int MAX_BATCHES_IN_FLIGHT = 4;

	private final OutboxTable table;

	private final Function<String, @Nullable HarePublisher> publishers;

	private final RelaySettings settings;

	private final OutboxCounters counters;

	private final String owner;

	private final Object monitor = new Object();

	private final Semaphore batchesInFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);

	private final ExecutorService settler = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "hare-outbox-settle");
		thread.setDaemon(true);
		return thread;
	});

	private boolean signalled;

	private volatile boolean running;

	private volatile boolean failing;

	OutboxRelay(OutboxTable table, Function<String, @Nullable HarePublisher> publishers, RelaySettings settings,
			OutboxCounters counters, String owner) {
		this.table = table;
		this.publishers = publishers;
		this.settings = settings;
		this.counters = counters;
		this.owner = owner;
	}

	/**
	 * Whether the calling thread is a relay sending a row: its publishes go to the broker.
	 */
	static boolean isRelaying() {
		return RELAYING.get() != null;
	}

	void start() {
		this.running = true;
	}

	void stop() {
		this.running = false;
		wake();
	}

	/**
	 * Stop settling, after the batches in flight were settled or the lease ran out: a batch not
	 * settled by then is sent again after its lease.
	 */
	void close() {
		awaitSettled(this.settings.lease());
		this.settler.shutdown();
	}

	/**
	 * Make the relay look for rows now rather than at the next poll.
	 */
	void wake() {
		synchronized (this.monitor) {
			this.signalled = true;
			this.monitor.notifyAll();
		}
	}

	@Override
	public void run() {
		Duration backoff = Duration.ZERO;
		while (this.running) {
			Duration wait = this.settings.pollInterval();
			try {
				int claimed = relayBatch();
				backoff = Duration.ZERO;
				if (claimed == this.settings.batchSize()) {
					continue;
				}
			}
			catch (DataAccessException ex) {
				backoff = nextBackoff(backoff);
				wait = backoff;
				failed("could not read the outbox table " + this.table.name() + ": " + ex.getMessage());
			}
			catch (RuntimeException ex) {
				backoff = nextBackoff(backoff);
				wait = backoff;
				failed("failed: " + ex);
			}
			await(wait);
		}
	}

	/**
	 * Claim one batch and send it, and hand its settlement to the settling thread: the rows are
	 * deleted or given back once every confirm came, while this thread claims the next batch.
	 * The claim keeps per-key order: a batch's rows stay in the table, leased, until they are
	 * settled, so no later batch holds a row whose key has one in flight. At most
	 * {@value #MAX_BATCHES_IN_FLIGHT} batches are in flight.
	 * @return how many rows were claimed
	 */
	int relayBatch() {
		if (!acquireBatchPermit()) {
			return 0;
		}
		List<OutboxRow> rows;
		try {
			rows = this.table.claim(this.owner, this.settings.batchSize(), this.settings.lease());
		}
		catch (RuntimeException ex) {
			this.batchesInFlight.release();
			throw ex;
		}
		if (rows.isEmpty()) {
			this.batchesInFlight.release();
			return 0;
		}
		List<CompletableFuture<PublishResult>> results = new ArrayList<>(rows.size());
		for (OutboxRow row : rows) {
			results.add(send(row).orTimeout(this.settings.lease().toMillis(), TimeUnit.MILLISECONDS));
		}
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
			.handleAsync((done, failure) -> settle(rows, results), this.settler)
			.whenComplete((batch, failure) -> this.batchesInFlight.release());
		return rows.size();
	}

	private boolean acquireBatchPermit() {
		try {
			// Waits only while the broker is slower than the claims: the confirms set the pace.
			return this.batchesInFlight.tryAcquire(this.settings.lease().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
			return false;
		}
	}

	/**
	 * Delete the rows the broker confirmed and give the others back with a backoff.
	 */
	Batch settle(List<OutboxRow> rows, List<CompletableFuture<PublishResult>> results) {
		List<Long> done = new ArrayList<>(rows.size());
		List<OutboxTable.Failure> failures = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			OutboxRow row = rows.get(i);
			try {
				PublishResult result = results.get(i).join();
				done.add(row.id());
				if (result.isDuplicate()) {
					this.counters.countDuplicate();
				}
				else {
					this.counters.countSent();
				}
			}
			catch (CompletionException | CancellationException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				failures.add(failure(row, (cause instanceof TimeoutException)
						? "no confirm within the lease of " + this.settings.lease() : String.valueOf(cause.getMessage())));
			}
		}
		try {
			this.table.delete(done);
			this.table.retryLater(failures);
		}
		catch (DataAccessException ex) {
			// The rows stay leased: another relay sends them again when the lease runs out.
			failed("could not settle a batch in the outbox table " + this.table.name() + ": " + ex.getMessage());
			return new Batch(rows.size(), rows.size());
		}
		if (!failures.isEmpty()) {
			this.counters.countFailed(failures.size());
			failed(failures.size() + " of " + rows.size() + " messages were not sent and wait for a retry; first: "
					+ failures.get(0).error());
		}
		else {
			recovered();
		}
		return new Batch(rows.size(), failures.size());
	}

	/**
	 * Wait until the batches in flight are settled, at most the given time.
	 * @param timeout the longest wait
	 * @return whether every batch was settled
	 */
	boolean awaitSettled(Duration timeout) {
		try {
			if (this.batchesInFlight.tryAcquire(MAX_BATCHES_IN_FLIGHT, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.batchesInFlight.release(MAX_BATCHES_IN_FLIGHT);
				return true;
			}
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private CompletableFuture<PublishResult> send(OutboxRow row) {
		HarePublisher publisher = this.publishers.apply(row.publisher());
		if (publisher == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("no Hare publisher is named '"
					+ row.publisher() + "' (hare.publishers." + row.publisher() + ")"));
		}
		PublishRequest request = PublishRequest.of(row.message()).exchange(row.exchange()).routingKey(row.routingKey());
		if (row.deliverAt() != null) {
			request.deliverAt(row.deliverAt());
		}
		RELAYING.set(Boolean.TRUE);
		try {
			return publisher.publishAsync(request);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		finally {
			RELAYING.remove();
		}
	}

	private OutboxTable.Failure failure(OutboxRow row, String error) {
		return new OutboxTable.Failure(row.id(), error, backoff(row.attempts()));
	}

	/**
	 * The backoff after a row's n-th failed attempt: the initial backoff, doubled each time up to
	 * the maximum.
	 */
	Duration backoff(int attempts) {
		Duration backoff = this.settings.initialBackoff();
		for (int i = 1; i < attempts && backoff.compareTo(this.settings.maxBackoff()) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(this.settings.maxBackoff()) > 0) ? this.settings.maxBackoff() : backoff;
	}

	private Duration nextBackoff(Duration current) {
		Duration next = current.isZero() ? this.settings.initialBackoff() : current.multipliedBy(2);
		return (next.compareTo(this.settings.maxBackoff()) > 0) ? this.settings.maxBackoff() : next;
	}

	private void await(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			while (!this.signalled && this.running) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					break;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.monitor, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.running = false;
				}
			}
			this.signalled = false;
		}
	}

	// One WARN when sending starts failing and one INFO when it recovers, not one per batch.
	private synchronized void failed(String detail) {
		if (!this.failing) {
			this.failing = true;
			logger.warn("Hare outbox relay on " + this.table.name() + " " + CredentialMasker.mask(detail));
		}
	}

	private synchronized void recovered() {
		if (this.failing) {
			this.failing = false;
			logger.info("Hare outbox relay on " + this.table.name() + " sends again");
		}
	}

	/**
	 * What one batch came to.
	 *
	 * @param claimed how many rows were claimed
	 * @param failed how many of them were not sent
	 */
	record Batch(int claimed, int failed) {
	}

	/**
	 * How a relay claims and retries.
	 *
	 * @param batchSize the most rows claimed at once
	 * @param pollInterval how long to wait for a wake-up before looking anyway
	 * @param lease how long a claim lasts; another relay takes the rows after it
	 * @param initialBackoff the wait after a first failure, doubled after each one
	 * @param maxBackoff the longest wait
	 */
	record RelaySettings(int batchSize, Duration pollInterval, Duration lease, Duration initialBackoff,
			Duration maxBackoff) {
	}

}
