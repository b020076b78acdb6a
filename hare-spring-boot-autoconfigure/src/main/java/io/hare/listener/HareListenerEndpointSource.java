package io.hare.listener;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.StringUtils;

/**
 * Turns a {@link HareListener @HareListener} method into an endpoint: placeholders resolved,
 * the annotation's settings read, then customizers applied and the result validated.
 */
class HareListenerEndpointSource {

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

	HareListenerEndpoint toEndpoint(List<HareListenerCustomizer> customizers) {
		HareListenerSpec spec = readAnnotation();
		customizers.forEach((customizer) -> customizer.customize(spec));
		spec.validate();
		return new HareListenerEndpoint(spec, this.bean, this.method);
	}

	private HareListenerSpec readAnnotation() {
		HareListener source = this.annotation;
		String queue = resolve(source.queue());
		String id = resolve(source.id());
		HareListenerSpec spec = new HareListenerSpec(StringUtils.hasText(id) ? id : queue);
		spec.setQueue(queue);
		spec.setExchange(emptyToNull(resolve(source.exchange())));
		spec.setExchangeType(emptyToNull(resolve(source.exchangeType())));
		spec.setRoutingKeys(Arrays.stream(source.routingKey()).map(this::resolve).filter(StringUtils::hasText).toList());
		if (source.queueType().length > 1) {
			throw invalid("queueType", Arrays.toString(source.queueType()), "give at most one queue type");
		}
		spec.setQueueType((source.queueType().length == 1) ? source.queueType()[0] : null);
		spec.setPrefetch(setOrNull(source.prefetch()));
		spec.setConcurrency(consumers(source));
		spec.setRetryLimit(setOrNull(source.retryLimit()));
		spec.setRetryDelay(duration("delay", source.delay()));
		spec.setRetryDelays(Arrays.stream(source.delays()).map((delay) -> duration("delays", delay)).toList());
		spec.setNonRetryable(List.of(source.nonRetryable()));
		spec.setMessageTtl(duration("messageTtl", source.messageTtl()));
		spec.setConnection(emptyToNull(resolve(source.connection())));
		if (source.backoff().length > 1) {
			throw invalid("backoff", Arrays.toString(source.backoff()), "give at most one backoff");
		}
		spec.setRetryBackoff((source.backoff().length == 1) ? source.backoff()[0] : null);
		spec.setBackoffInitial(duration("backoffInitial", source.backoffInitial()));
		spec.setBackoffMultiplier(number("backoffMultiplier", source.backoffMultiplier()));
		spec.setBackoffMax(duration("backoffMax", source.backoffMax()));
		spec.setBackoffJitter(number("backoffJitter", source.backoffJitter()));
		spec.setStreamOffset(emptyToNull(resolve(source.streamOffset())));
		spec.setSingleActiveConsumer(source.singleActiveConsumer() ? Boolean.TRUE : null);
		return spec;
	}

	/**
	 * {@code consumers} is an alias of {@code concurrency}: one of them, or both alike.
	 */
	private @Nullable Integer consumers(HareListener source) {
		Integer concurrency = setOrNull(source.concurrency());
		Integer consumers = setOrNull(source.consumers());
		if (concurrency != null && consumers != null && !concurrency.equals(consumers)) {
			throw invalid("consumers", String.valueOf(consumers), "it is an alias of concurrency, which is "
					+ concurrency + "; set one of them");
		}
		return (consumers != null) ? consumers : concurrency;
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

	private IllegalStateException invalid(String attribute, String value, String reason) {
		return new IllegalStateException("Invalid @HareListener(" + attribute + " = \"" + value + "\") on "
				+ this.method.getDeclaringClass().getName() + "." + this.method.getName() + ": " + reason);
	}

	private static @Nullable Integer setOrNull(int value) {
		return (value != -1) ? value : null;
	}

	private static @Nullable String emptyToNull(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

}
