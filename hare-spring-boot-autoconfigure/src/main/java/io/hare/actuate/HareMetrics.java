package io.hare.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import io.hare.event.HareDeadLettersPurgedEvent;
import io.hare.event.HareListenerScaledEvent;
import io.hare.event.HareOperationEvent;
import io.hare.event.HareRedriveDoneEvent;
import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerObserver;
import io.hare.operations.PublishOutcome;
import io.hare.operations.QueueDepths;
import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublishObserver;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishResult;

import org.springframework.context.event.EventListener;

/**
 * Hare's Micrometer meters: what became of consumed and of published messages, retries by
 * attempt, handler duration, queue and dead-letter depths, consumers, and operator actions. Tags are
 * {@code listener}, {@code queue}, {@code outcome} and, bounded to
 * {@value #MAX_EXCEPTION_TAGS} values per listener, {@code exception}.
 */
public class HareMetrics implements HareListenerObserver, HarePublishObserver {

	/**
	 * The most distinct {@code exception} tag values per listener; further exception classes
	 * are tagged {@value #OTHER_EXCEPTION}, so that a handler throwing ever new types cannot
	 * grow the meter registry without bound.
	 */
	public static final int MAX_EXCEPTION_TAGS = 20;

	/**
	 * The {@code exception} tag of exceptions past the bound.
	 */
	public static final String OTHER_EXCEPTION = "other";

	private static final String NO_EXCEPTION = "none";

	private final MeterRegistry registry;

	private final QueueDepths queueDepths;

	private final Map<String, Set<String>> exceptionTags = new ConcurrentHashMap<>();

	private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();

	private final Map<ConsumeKey, ConsumeMeters> consumeMeters = new ConcurrentHashMap<>();

	private final Map<PublishKey, Counter> publishCounters = new ConcurrentHashMap<>();

	public HareMetrics(MeterRegistry registry, QueueDepths queueDepths) {
		this.registry = registry;
		this.queueDepths = queueDepths;
	}

	@Override
	public void listenerCreated(HareListenerContainer listener) {
		String queue = listener.getTopology().queue();
		Tags tags = Tags.of("listener", listener.getId(), "queue", queue);
		List<Meter> meters = new ArrayList<>();
		meters.add(Gauge.builder("hare.queue.depth", () -> depth(listener, queue))
			.tags(tags)
			.description("Messages ready in the listener's work queue")
			.strongReference(true)
			.register(this.registry));
		if (listener.getTopology().hasRetryQueues()) {
			String deadQueue = listener.getTopology().deadQueue();
			meters.add(Gauge.builder("hare.dead-letter.depth", () -> depth(listener, deadQueue))
				.tags(Tags.of("listener", listener.getId(), "queue", deadQueue))
				.description("Messages in the listener's dead-letter queue")
				.strongReference(true)
				.register(this.registry));
		}
		if (listener.getCircuitBreakerState().isPresent()) {
			meters.add(Gauge.builder("hare.circuit-breaker.state", () -> breakerState(listener))
				.tags(tags)
				.description("State of the listener's circuit breaker: 0 closed, 1 open, 2 half-open")
				.strongReference(true)
				.register(this.registry));
		}
		meters.add(Gauge.builder("hare.consumers.active", listener::getActualConsumers)
			.tags(tags)
			.description("Consumers the listener runs now")
			.strongReference(true)
			.register(this.registry));
		meters.add(Gauge.builder("hare.consumers.desired", listener::getDesiredConsumers)
			.tags(tags)
			.description("Consumers the listener is set to run")
			.strongReference(true)
			.register(this.registry));
		this.gauges.put(listener.getId(), meters);
	}

	@Override
	public void listenerDestroyed(HareListenerContainer listener) {
		List<Meter> meters = this.gauges.remove(listener.getId());
		if (meters != null) {
			meters.forEach(this.registry::remove);
		}
	}

	@Override
	public void messageHandled(HandledMessage message) {
		String exception = exceptionTag(message.listenerId(), message.failure());
		// Meters are looked up once per listener, outcome and exception: this runs per message.
		ConsumeMeters meters = this.consumeMeters.computeIfAbsent(
				new ConsumeKey(message.listenerId(), message.queue(), message.outcome(), exception),
				this::consumeMeters);
		meters.consumed().increment();
		meters.duration().record(message.duration());
		if (message.outcome() == HandlingOutcome.RETRIED) {
			Counter.builder("hare.retries")
				.tags("listener", message.listenerId(), "queue", message.queue(), "attempt",
						Integer.toString(message.attempt()))
				.description("Messages sent for another attempt, by the attempt that failed")
				.register(this.registry)
				.increment();
		}
	}

	private static int breakerState(HareListenerContainer listener) {
		return switch (listener.getCircuitBreakerState().orElse("closed")) {
			case "open", "forced_open" -> 1;
			case "half_open" -> 2;
			default -> 0;
		};
	}

	@Override
	public void batchHandled(String listenerId, int size) {
		DistributionSummary.builder("hare.batch.size")
			.tags("listener", listenerId)
			.description("Messages per batch a batch listener received")
			.register(this.registry)
			.record(size);
	}

	private ConsumeMeters consumeMeters(ConsumeKey key) {
		Tags tags = Tags.of("listener", key.listenerId(), "queue", key.queue(), "outcome", key.outcome().tagValue());
		Counter consumed = Counter.builder("hare.messages.consumed")
			.tags(tags)
			.tag("exception", key.exception())
			.description("Messages a listener consumed, by what became of them")
			.register(this.registry);
		Timer duration = Timer.builder("hare.handler.duration")
			.tags(tags)
			.description("Time a listener's handler took, decoding included")
			.register(this.registry);
		return new ConsumeMeters(consumed, duration);
	}

	@Override
	public void published(HarePublisher publisher, PublishResult result) {
		countPublish(publisher, PublishOutcome.of(result), NO_EXCEPTION);
	}

	@Override
	public void failed(HarePublisher publisher, HarePublishException failure) {
		countPublish(publisher, PublishOutcome.of(failure), failure.getReason().name().toLowerCase(Locale.ROOT));
	}

	private void countPublish(HarePublisher publisher, PublishOutcome outcome, String reason) {
		// Tagged with the publisher's own exchange, not the one of each call, to keep the
		// cardinality bounded by the number of publishers.
		this.publishCounters.computeIfAbsent(new PublishKey(publisher.getName(), outcome, reason),
				(key) -> Counter.builder("hare.messages.published")
					.tags("publisher", key.publisher(), "exchange", publisher.getExchange(), "outcome",
							key.outcome().tagValue(), "reason", key.reason())
					.description("Messages given to a publisher, by what became of them")
					.register(this.registry))
			.increment();
	}

	/**
	 * Count an operator's action.
	 * @param event the action
	 */
	@EventListener
	public void onOperation(HareOperationEvent event) {
		Counter.builder("hare.operations")
			.tags("listener", event.getListenerId(), "operation", event.getOperation())
			.description("Actions operators took on listeners")
			.register(this.registry)
			.increment();
		if (event instanceof HareRedriveDoneEvent redrive) {
			Counter.builder("hare.dead-letter.republished")
				.tags("listener", event.getListenerId())
				.description("Dead letters moved back to their work queue")
				.register(this.registry)
				.increment(redrive.getResult().republished());
		}
		else if (event instanceof HareDeadLettersPurgedEvent purged) {
			Counter.builder("hare.dead-letter.purged")
				.tags("listener", event.getListenerId())
				.description("Dead letters deleted by a purge")
				.register(this.registry)
				.increment(purged.getCount());
		}
	}

	/**
	 * Count a change of a listener's consumers made by hand; the auto-scaler's show in
	 * {@code hare.consumers.desired}.
	 * @param event the change
	 */
	@EventListener
	public void onScaled(HareListenerScaledEvent event) {
		if (!event.isAutomatic()) {
			Counter.builder("hare.operations")
				.tags("listener", event.getListenerId(), "operation", "scale")
				.description("Actions operators took on listeners")
				.register(this.registry)
				.increment();
		}
	}

	private String exceptionTag(String listenerId, @Nullable Throwable failure) {
		if (failure == null) {
			return NO_EXCEPTION;
		}
		return boundedExceptionTag(listenerId, failure.getClass().getName());
	}

	String boundedExceptionTag(String listenerId, String name) {
		Set<String> seen = this.exceptionTags.computeIfAbsent(listenerId, (id) -> ConcurrentHashMap.newKeySet());
		if (seen.contains(name)) {
			return name;
		}
		synchronized (seen) {
			if (seen.size() < MAX_EXCEPTION_TAGS) {
				seen.add(name);
				return name;
			}
		}
		return OTHER_EXCEPTION;
	}

	private double depth(HareListenerContainer listener, String queue) {
		Long depth = this.queueDepths.cached(listener, queue);
		return (depth != null) ? depth : Double.NaN;
	}

	private record ConsumeKey(String listenerId, String queue, HandlingOutcome outcome, String exception) {
	}

	private record ConsumeMeters(Counter consumed, Timer duration) {
	}

	private record PublishKey(String publisher, PublishOutcome outcome, String reason) {
	}

}
