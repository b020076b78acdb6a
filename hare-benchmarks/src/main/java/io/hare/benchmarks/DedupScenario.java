package io.hare.benchmarks;

import java.util.List;
import java.util.Map;

import io.hare.publish.HarePublishers;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Publishes the same distinct orders through two Hare publishers that differ only in
 * deduplication: by the {@code id} key in the Caffeine store, and off. What the duplicate check
 * costs on the publish path.
 */
final class DedupScenario implements Scenario {

	static final String ON = "Hare publishAsync, dedup on (Caffeine, keys)";

	static final String OFF = "Hare publishAsync, dedup off";

	@Override
	public String id() {
		return "dedup";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		String queue = context.broker().newQueue("dedup");
		context.broker().declareQueue(queue);
		String exchange = context.broker().newExchange("dedup", queue);
		try (ConfigurableApplicationContext application = SpringContexts.start(HarePublishApplication.class,
				context.broker().address(),
				Map.of("hare.publishers.plain.exchange", exchange, "hare.publishers.plain.routing-key", queue,
						"hare.publishers.deduplicated.exchange", exchange, "hare.publishers.deduplicated.routing-key",
						queue, "hare.publishers.deduplicated.dedup.ttl", "10m",
						"hare.publishers.deduplicated.dedup.keys", "id", "hare.dedup.max-entries",
						Math.max(100_000, 2L * options.messages())))) {
			HarePublishers publishers = application.getBean(HarePublishers.class);
			List<Contender> contenders = List.of(
					new AsyncPublishContender(id(), ON, context, queue, publishers.get("deduplicated")::publishAsync),
					new AsyncPublishContender(id(), OFF, context, queue, publishers.get("plain")::publishAsync));
			Map<String, List<Measurement>> results = Rounds.alternate(contenders, options.warmup(), options.rounds(),
					context.log());
			results.values().forEach(context.report()::addMeasurements);
			context.report()
				.add(List.of(ResultRow.of(results.get(OFF)),
						ResultRow.compared(results.get(ON), results.get(OFF), 0.95)));
		}
	}

}
