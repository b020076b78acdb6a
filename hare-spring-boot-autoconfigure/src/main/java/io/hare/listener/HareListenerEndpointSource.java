package io.hare.listener;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.StringUtils;

/**
 * Turns a {@link HareListener @HareListener} method into an endpoint: placeholders resolved,
 * the annotation read into {@link ListenerProperties}, then the settings resolved over every
 * other layer and validated.
 */
class HareListenerEndpointSource {

	/**
	 * The annotation attribute behind each settings path.
	 */
	static final Map<String, String> ATTRIBUTES = Map.ofEntries(Map.entry("queue.name", "queue"),
			Map.entry("exchange", "exchange"), Map.entry("exchangeType", "exchangeType"),
			Map.entry("routingKeys", "routingKey"), Map.entry("bindingArguments", "bindingArguments"),
			Map.entry("queue.type", "queueType"), Map.entry("prefetch", "prefetch"),
			Map.entry("concurrency", "concurrency"), Map.entry("consumers", "consumers"),
			Map.entry("retry.limit", "retryLimit"), Map.entry("retry.delay", "delay"),
			Map.entry("retry.delays", "delays"), Map.entry("retry.nonRetryable", "nonRetryable"),
			Map.entry("queue.messageTtl", "messageTtl"), Map.entry("connection", "connection"),
			Map.entry("stream.offset", "streamOffset"),
			Map.entry("queue.singleActiveConsumer", "singleActiveConsumer"),
			Map.entry("retry.backoff.type", "backoff"), Map.entry("retry.backoff.initial", "backoffInitial"),
			Map.entry("retry.backoff.multiplier", "backoffMultiplier"),
			Map.entry("retry.backoff.max", "backoffMax"), Map.entry("retry.backoff.jitter", "backoffJitter"),
			Map.entry("retry.retryable", "retryable"), Map.entry("retry.immediate", "immediateRetries"),
			Map.entry("retry.immediateDelay", "immediateRetryDelay"), Map.entry("postProcessors", "postProcessors"),
			Map.entry("batch.size", "batchSize"), Map.entry("batch.receiveTimeout", "batchReceiveTimeout"),
			Map.entry("queue.broadcast", "broadcast"), Map.entry("idempotent", "idempotent"),
			Map.entry("ack.batchSize", "ackBatchSize"), Map.entry("ack.batchTimeout", "ackBatchTimeout"));

	private final Object bean;

	private final Method method;

	private final HareListener annotation;

	private final UnaryOperator<@Nullable String> resolver;

	HareListenerEndpointSource(Object bean, Method method, HareListener annotation,
			UnaryOperator<@Nullable String> resolver) {
		this.bean = bean;
		this.method = method;
		this.annotation = annotation;
		this.resolver = resolver;
	}

	HareListenerEndpoint toEndpoint(ListenerSettingsResolver settingsResolver) {
		String queue = resolve(this.annotation.queue());
		String id = resolve(this.annotation.id());
		ListenerSettings settings = settingsResolver.resolve(StringUtils.hasText(id) ? id : queue, readAnnotation(),
				(path) -> "@HareListener(" + ATTRIBUTES.getOrDefault(path, path) + ") on " + handlerName(),
				isBatch(this.method));
		return new HareListenerEndpoint(settings, this.bean, this.method);
	}

	/**
	 * Whether a method takes batches: its one parameter is a {@code List}.
	 * @param method the method
	 * @return whether it is a batch listener
	 */
	static boolean isBatch(Method method) {
		return method.getParameterCount() == 1 && List.class.isAssignableFrom(method.getParameterTypes()[0]);
	}

	private ListenerProperties readAnnotation() {
		HareListener source = this.annotation;
		ListenerProperties properties = new ListenerProperties();
		properties.getQueue().setName(emptyToNull(resolve(source.queue())));
		properties.setExchange(emptyToNull(resolve(source.exchange())));
		properties.setExchangeType(emptyToNull(resolve(source.exchangeType())));
		properties.setRoutingKeys(nonEmpty(
				Arrays.stream(source.routingKey()).map(this::resolve).filter(StringUtils::hasText).toList()));
		properties.setBindingArguments(bindingArguments(source.bindingArguments()));
		properties.getQueue().setType(atMostOne("queueType", source.queueType()));
		properties.setPrefetch(setOrNull(source.prefetch()));
		properties.setConcurrency(setOrNull(source.concurrency()));
		properties.setConsumers(setOrNull(source.consumers()));
		properties.setConnection(emptyToNull(resolve(source.connection())));
		properties.setPostProcessors(nonEmpty(
				Arrays.stream(source.postProcessors()).map(this::resolve).filter(StringUtils::hasText).toList()));
		properties.setIdempotent(source.idempotent() ? Boolean.TRUE : null);
		properties.getQueue().setMessageTtl(duration("messageTtl", source.messageTtl()));
		properties.getQueue().setSingleActiveConsumer(source.singleActiveConsumer() ? Boolean.TRUE : null);
		properties.getQueue().setBroadcast(source.broadcast() ? Boolean.TRUE : null);
		properties.getStream().setOffset(emptyToNull(resolve(source.streamOffset())));
		properties.getBatch().setSize(setOrNull(source.batchSize()));
		properties.getBatch().setReceiveTimeout(duration("batchReceiveTimeout", source.batchReceiveTimeout()));
		properties.getAck().setBatchSize(setOrNull(source.ackBatchSize()));
		properties.getAck().setBatchTimeout(duration("ackBatchTimeout", source.ackBatchTimeout()));
		ListenerProperties.Retry retry = properties.getRetry();
		retry.setLimit(setOrNull(source.retryLimit()));
		retry.setDelay(duration("delay", source.delay()));
		retry.setDelays(nonEmpty(Arrays.stream(source.delays()).map((delay) -> duration("delays", delay)).toList()));
		retry.setNonRetryable(nonEmpty(List.of(source.nonRetryable())));
		retry.setRetryable(nonEmpty(List.of(source.retryable())));
		retry.setImmediate(setOrNull(source.immediateRetries()));
		retry.setImmediateDelay(duration("immediateRetryDelay", source.immediateRetryDelay()));
		retry.getBackoff().setType(atMostOne("backoff", source.backoff()));
		retry.getBackoff().setInitial(duration("backoffInitial", source.backoffInitial()));
		retry.getBackoff().setMultiplier(number("backoffMultiplier", source.backoffMultiplier()));
		retry.getBackoff().setMax(duration("backoffMax", source.backoffMax()));
		retry.getBackoff().setJitter(number("backoffJitter", source.backoffJitter()));
		return properties;
	}

	private @Nullable Map<String, String> bindingArguments(String[] arguments) {
		Map<String, String> map = new LinkedHashMap<>();
		for (String argument : arguments) {
			String resolved = resolve(argument);
			int equals = resolved.indexOf('=');
			if (equals < 1) {
				throw invalid("bindingArguments", resolved, "write each argument as name=value, such as x-match=any");
			}
			map.put(resolved.substring(0, equals).trim(), resolved.substring(equals + 1).trim());
		}
		return map.isEmpty() ? null : map;
	}

	private <T> @Nullable T atMostOne(String attribute, T[] values) {
		if (values.length > 1) {
			throw invalid(attribute, Arrays.toString(values), "give at most one");
		}
		return (values.length == 1) ? values[0] : null;
	}

	private @Nullable Double number(String attribute, String value) {
		String resolved = resolve(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return Double.valueOf(resolved.trim());
		}
		catch (NumberFormatException ex) {
			throw invalid(attribute, resolved, "not a number such as 2 or 0.1");
		}
	}

	private @Nullable Duration duration(String attribute, String value) {
		String resolved = resolve(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(resolved.trim());
		}
		catch (IllegalArgumentException ex) {
			throw invalid(attribute, resolved, "not a duration such as 10s, 1m or PT1M");
		}
	}

	private String resolve(String value) {
		String resolved = this.resolver.apply(value);
		return (resolved != null) ? resolved : "";
	}

	private String handlerName() {
		return this.method.getDeclaringClass().getName() + "." + this.method.getName();
	}

	private IllegalStateException invalid(String attribute, String value, String reason) {
		return new IllegalStateException(
				"Invalid @HareListener(" + attribute + " = \"" + value + "\") on " + handlerName() + ": " + reason);
	}

	private static @Nullable Integer setOrNull(int value) {
		return (value != -1) ? value : null;
	}

	private static @Nullable String emptyToNull(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static <T> @Nullable List<T> nonEmpty(List<T> values) {
		return values.isEmpty() ? null : values;
	}

}
