package io.hare.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.topology.QueueType;

import org.springframework.util.unit.DataSize;

/**
 * Turns a listener's queue settings into the arguments of its work queue, checking each
 * against the queue type: a setting the type does not support fails when set for the
 * listener and is dropped when inherited.
 */
final class QueueArgumentSettings {

	private static final Log logger = LogFactory.getLog(QueueArgumentSettings.class);

	/**
	 * Arguments that have a setting of their own, which {@code queue.arguments} may not set.
	 */
	private static final Map<String, String> TYPED = Map.ofEntries(Map.entry("x-queue-type", "queue.type"),
			Map.entry("x-message-ttl", "queue.message-ttl"),
			Map.entry("x-single-active-consumer", "queue.single-active-consumer"),
			Map.entry("x-max-length", "queue.max-length"), Map.entry("x-max-length-bytes", "queue.max-length-bytes"),
			Map.entry("x-overflow", "queue.overflow"), Map.entry("x-max-priority", "queue.max-priority"),
			Map.entry("x-delivery-limit", "queue.delivery-limit"),
			Map.entry("x-quorum-initial-group-size", "queue.initial-group-size"),
			Map.entry("x-initial-cluster-size", "queue.initial-group-size"),
			Map.entry("x-queue-leader-locator", "queue.leader-locator"), Map.entry("x-max-age", "stream.max-age"));

	private QueueArgumentSettings() {
	}

	static Map<String, Object> arguments(MergedListenerProperties settings, QueueType type) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		boolean stream = type == QueueType.STREAM;
		if (Boolean.TRUE.equals(settings.get("queue.singleActiveConsumer"))) {
			arguments.put("x-single-active-consumer", true);
		}
		Long maxLength = settings.get("queue.maxLength");
		if (maxLength != null && stream) {
			settings.inapplicable("queue.maxLength", "a stream is bounded by queue.max-length-bytes or stream.max-age");
		}
		else if (maxLength != null) {
			arguments.put("x-max-length", atLeast(settings, "queue.maxLength", maxLength, 0));
		}
		DataSize maxBytes = settings.get("queue.maxLengthBytes");
		if (maxBytes != null) {
			arguments.put("x-max-length-bytes", atLeast(settings, "queue.maxLengthBytes", maxBytes.toBytes(), 0));
		}
		overflow(settings, type, arguments);
		onlyFor(settings, type, "queue.maxPriority", "x-max-priority", List.of(QueueType.CLASSIC), arguments);
		onlyFor(settings, type, "queue.deliveryLimit", "x-delivery-limit", List.of(QueueType.QUORUM), arguments);
		initialGroupSize(settings, type, arguments);
		onlyFor(settings, type, "queue.leaderLocator", "x-queue-leader-locator",
				List.of(QueueType.QUORUM, QueueType.STREAM), arguments);
		streamRetention(settings, stream, arguments);
		free(settings, arguments);
		return arguments;
	}

	private static void overflow(MergedListenerProperties settings, QueueType type, Map<String, Object> arguments) {
		String overflow = settings.get("queue.overflow");
		if (overflow == null) {
			return;
		}
		List<String> allowed = switch (type) {
			case CLASSIC -> List.of("drop-head", "reject-publish", "reject-publish-dlx");
			case QUORUM -> List.of("drop-head", "reject-publish");
			case STREAM -> List.of();
		};
		if (allowed.isEmpty()) {
			settings.inapplicable("queue.overflow", "a stream does not overflow: retention removes old messages");
		}
		else if (!allowed.contains(overflow)) {
			throw settings.invalid("queue.overflow", "a " + type.argumentValue() + " queue takes one of " + allowed);
		}
		else {
			arguments.put("x-overflow", overflow);
		}
	}

	private static void initialGroupSize(MergedListenerProperties settings, QueueType type,
			Map<String, Object> arguments) {
		Integer size = settings.get("queue.initialGroupSize");
		if (size == null) {
			return;
		}
		if (type == QueueType.CLASSIC) {
			settings.inapplicable("queue.initialGroupSize", "a classic queue is not replicated");
			return;
		}
		atLeast(settings, "queue.initialGroupSize", size, 1);
		// The same setting, under the name each replicated type gives it.
		arguments.put((type == QueueType.QUORUM) ? "x-quorum-initial-group-size" : "x-initial-cluster-size", size);
	}

	private static void onlyFor(MergedListenerProperties settings, QueueType type, String path, String argument,
			List<QueueType> types, Map<String, Object> arguments) {
		Object value = settings.get(path);
		if (value == null) {
			return;
		}
		if (!types.contains(type)) {
			settings.inapplicable(path, "only " + types.stream().map(QueueType::argumentValue).toList()
					+ " queues take " + argument);
			return;
		}
		if ("queue.maxPriority".equals(path)) {
			atLeast(settings, path, (Integer) value, 1);
			if ((Integer) value > 255) {
				throw settings.invalid(path, "must be at most 255");
			}
		}
		if ("queue.deliveryLimit".equals(path)) {
			atLeast(settings, path, (Integer) value, 0);
		}
		if ("queue.leaderLocator".equals(path) && !List.of("client-local", "balanced").contains(value)) {
			throw settings.invalid(path, "must be client-local or balanced");
		}
		arguments.put(argument, value);
	}

	private static void streamRetention(MergedListenerProperties settings, boolean stream,
			Map<String, Object> arguments) {
		Duration maxAge = settings.get("stream.maxAge");
		DataSize segment = settings.get("stream.maxSegmentSize");
		if (!stream) {
			if (maxAge != null) {
				settings.inapplicable("stream.maxAge", "applies only to a listener whose queue.type is stream");
			}
			if (segment != null) {
				settings.inapplicable("stream.maxSegmentSize", "applies only to a listener whose queue.type is stream");
			}
			return;
		}
		if (maxAge != null) {
			if (maxAge.toSeconds() < 1 || maxAge.toNanos() % 1_000_000_000L != 0) {
				throw settings.invalid("stream.maxAge", "must be whole seconds, at least 1s");
			}
			arguments.put("x-max-age", maxAge.toSeconds() + "s");
		}
		if (segment != null) {
			arguments.put("x-stream-max-segment-size-bytes",
					atLeast(settings, "stream.maxSegmentSize", segment.toBytes(), 1));
		}
		if (maxAge == null && !arguments.containsKey("x-max-length-bytes")) {
			logger.warn("Hare listener '" + settings.id() + "' declares stream '" + settings.get("queue.name")
					+ "' with no retention (stream.max-age or queue.max-length-bytes): it keeps every message forever");
		}
	}

	private static void free(MergedListenerProperties settings, Map<String, Object> arguments) {
		Map<String, String> free = settings.get("queue.arguments");
		if (free == null) {
			return;
		}
		free.forEach((name, value) -> {
			if (TYPED.containsKey(name)) {
				throw settings.invalid("queue.arguments", name + " has a setting of its own: use " + TYPED.get(name));
			}
			arguments.put(name, typed(value));
		});
	}

	// Properties are strings; the broker checks the type of many arguments.
	private static Object typed(String value) {
		if ("true".equals(value) || "false".equals(value)) {
			return Boolean.valueOf(value);
		}
		try {
			return Long.valueOf(value);
		}
		catch (NumberFormatException ex) {
			return value;
		}
	}

	private static <T extends Number> T atLeast(MergedListenerProperties settings, String path, T value,
			long minimum) {
		if (value.longValue() < minimum) {
			throw settings.invalid(path, "must be at least " + minimum);
		}
		return value;
	}

}
