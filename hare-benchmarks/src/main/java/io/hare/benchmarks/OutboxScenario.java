package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;
import io.hare.publish.PublishRequest;

import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox on PostgreSQL: committed transactions per second, 8 threads each
 * storing an order and publishing its event, with the outbox against a plain transaction that
 * publishes with a confirmed {@code RabbitTemplate} send before it commits; and the relay's lag
 * from each commit to the broker's confirm at a steady 1 000 transactions per second.
 */
final class OutboxScenario implements Scenario {

	static final String HARE = "Hare outbox";

	static final String PLAIN = "plain transaction + confirmed send";

	static final String LAG = "Hare outbox relay lag at 1 000 tx/s";

	private static final int THREADS = 8;

	private static final int LAG_RATE = 1000;

	private static final double GOAL_RATIO = 0.7;

	private static final double GOAL_P99_MILLIS = 100;

	@Override
	public String id() {
		return "outbox";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		String queue = context.broker().newQueue("outbox");
		context.broker().declareQueue(queue);
		String exchange = context.broker().newExchange("outbox", queue);
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		String outboxTable = "hare_bench_outbox_" + suffix;
		String ordersTable = "hare_bench_orders_" + suffix;
		Payloads payloads = new Payloads(options.payloadBytes());
		Map<String, Object> properties = Map.of("spring.datasource.url", setting("HARE_BENCH_JDBC_URL",
				"jdbc:postgresql://127.0.0.1:5432/test"), "spring.datasource.username",
				setting("HARE_BENCH_JDBC_USERNAME", "postgres"), "spring.datasource.password",
				setting("HARE_BENCH_JDBC_PASSWORD", ""), "spring.datasource.hikari.maximum-pool-size", THREADS + 4,
				"hare.outbox.enabled", "true", "hare.outbox.initialize-schema", "true", "hare.outbox.table",
				outboxTable, "hare.publishers.bench.exchange", exchange, "hare.publishers.bench.routing-key", queue);
		try (ConfigurableApplicationContext app = SpringContexts.start(OutboxApplication.class,
				context.broker().address(), properties)) {
			JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE " + ordersTable + " (id BIGINT PRIMARY KEY, body VARCHAR(4000) NOT NULL)");
			try {
				Bench bench = new Bench(context, queue, exchange, ordersTable, outboxTable, payloads, jdbc,
						app.getBean(TransactionTemplate.class), app.getBean(HarePublishers.class).get("bench"),
						app.getBean(RabbitTemplate.class), app.getBean(OutboxApplication.ConfirmProbe.class));
				List<Contender> contenders = List.of(bench.throughput(HARE, true), bench.throughput(PLAIN, false),
						bench.lag());
				Map<String, List<Measurement>> results = Rounds.alternate(contenders, options.warmup(),
						options.rounds(), context.log());
				results.values().forEach(context.report()::addMeasurements);
				List<Measurement> lag = results.get(LAG);
				ResultRow lagRow = ResultRow.of(lag);
				context.report()
					.add(List.of(ResultRow.of(results.get(PLAIN)),
							ResultRow.compared(results.get(HARE), results.get(PLAIN), GOAL_RATIO),
							new ResultRow(lagRow.scenario(), LAG, lagRow.rate(), lagRow.p50Millis(), lagRow.p99Millis(),
									null, String.format(Locale.ROOT, "p99 ≤ %.0f ms", GOAL_P99_MILLIS),
									lagRow.p99Millis() <= GOAL_P99_MILLIS,
									String.format(Locale.ROOT, "commit to broker confirm, %d transactions a round "
											+ "from %d threads; worst round p99 %.1f ms", lag.get(0).messages(),
											THREADS, Stats.max(lag.stream().map(Measurement::p99Millis).toList())))));
			}
			finally {
				jdbc.execute("DROP TABLE IF EXISTS " + ordersTable);
				jdbc.execute("DROP TABLE IF EXISTS " + outboxTable);
			}
		}
	}

	private static String setting(String environmentVariable, String fallback) {
		String value = System.getenv(environmentVariable);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	/**
	 * Everything the contenders share, and the contenders.
	 */
	private record Bench(Context context, String queue, String exchange, String ordersTable, String outboxTable,
			Payloads payloads, JdbcTemplate jdbc, TransactionTemplate transactions, HarePublisher publisher,
			RabbitTemplate template, OutboxApplication.ConfirmProbe probe) {

		private static final AtomicInteger IDS = new AtomicInteger();

		/**
		 * One transaction: store an order and publish it, through the outbox or with a confirmed
		 * send before the commit.
		 */
		void transaction(boolean outbox, String messageId) {
			int id = IDS.incrementAndGet();
			Order order = this.payloads.order(id);
			this.transactions.executeWithoutResult((status) -> {
				this.jdbc.update("INSERT INTO " + this.ordersTable + " (id, body) VALUES (?, ?)", id,
						order.toString());
				if (outbox) {
					this.publisher.publish(PublishRequest.of(order).messageId(messageId));
					return;
				}
				CorrelationData correlation = new CorrelationData();
				this.template.convertAndSend(this.exchange, this.queue, order, correlation);
				try {
					if (!correlation.getFuture().get(10, TimeUnit.SECONDS).ack()) {
						throw new IllegalStateException("Not confirmed");
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
		}

		Contender throughput(String name, boolean outbox) {
			return new Contender() {

				@Override
				public String name() {
					return name;
				}

				@Override
				public Measurement run(int round) throws Exception {
					int transactions = context().options().blockingMessages();
					AtomicInteger next = new AtomicInteger();
					ExecutorService threads = Executors.newFixedThreadPool(THREADS);
					long start = System.nanoTime();
					List<Future<?>> done = new ArrayList<>();
					for (int t = 0; t < THREADS; t++) {
						done.add(threads.submit(() -> {
							while (next.getAndIncrement() < transactions) {
								transaction(outbox, UUID.randomUUID().toString());
							}
						}));
					}
					for (Future<?> future : done) {
						future.get();
					}
					double seconds = (System.nanoTime() - start) / 1e9;
					threads.shutdown();
					settle();
					return Measurement.throughput("outbox", name, round, transactions, seconds);
				}

			};
		}

		Contender lag() {
			return new Contender() {

				@Override
				public String name() {
					return LAG;
				}

				@Override
				public Measurement run(int round) throws Exception {
					int transactions = context().options().blockingMessages();
					probe().clear();
					String[] ids = new String[transactions];
					long[] committedAt = new long[transactions];
					AtomicInteger next = new AtomicInteger();
					CountDownLatch finished = new CountDownLatch(transactions);
					ExecutorService threads = Executors.newFixedThreadPool(THREADS);
					ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
					long start = System.nanoTime();
					ticker.scheduleAtFixedRate(() -> {
						int i = next.getAndIncrement();
						if (i >= transactions) {
							return;
						}
						threads.execute(() -> {
							ids[i] = "lag-" + round + "-" + i;
							transaction(true, ids[i]);
							committedAt[i] = System.nanoTime();
							finished.countDown();
						});
					}, 0, 1_000_000 / LAG_RATE, TimeUnit.MICROSECONDS);
					finished.await();
					double seconds = (System.nanoTime() - start) / 1e9;
					ticker.shutdownNow();
					threads.shutdown();
					settle();
					Latencies latencies = new Latencies(transactions);
					for (int i = 0; i < transactions; i++) {
						Long confirmedAt = probe().confirmedAt(ids[i]);
						if (confirmedAt != null) {
							latencies.record(Math.max(0, confirmedAt - committedAt[i]));
						}
					}
					return new Measurement("outbox", LAG, round, transactions, seconds, latencies.percentileMillis(50),
							latencies.percentileMillis(99));
				}

			};
		}

		// The relay's backlog is not timed, but sent before the next round starts.
		void settle() throws Exception {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			while (count(this.outboxTable) > 0) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The outbox did not drain within 2 minutes");
				}
				TimeUnit.MILLISECONDS.sleep(50);
			}
			this.context.broker().purge(this.queue);
			this.jdbc.execute("TRUNCATE " + this.ordersTable);
		}

		private long count(String table) {
			Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
			return (count != null) ? count : 0;
		}

	}

}
