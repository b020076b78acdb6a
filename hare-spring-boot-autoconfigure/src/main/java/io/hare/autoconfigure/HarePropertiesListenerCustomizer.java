package io.hare.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hare.listener.HareListenerCustomizer;
import io.hare.listener.HareListenerSpec;
import io.hare.scaling.AutoScalingPolicy;
import io.hare.topology.QueueType;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;

/**
 * Applies {@code hare.listeners.<id>.*} over a listener's annotation, then fills what is
 * still unset from {@code hare.defaults.*}. Runs before any user customizer.
 */
class HarePropertiesListenerCustomizer implements HareListenerCustomizer, Ordered {

	private final HareProperties properties;

	HarePropertiesListenerCustomizer(HareProperties properties) {
		this.properties = properties;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void customize(HareListenerSpec spec) {
		HareProperties.Listener listener = this.properties.getListeners().get(spec.getId());
		if (listener != null) {
			applyListener(listener, spec);
		}
		applyDefaults(this.properties.getDefaults(), spec);
	}

	private void applyListener(HareProperties.Listener listener, HareListenerSpec spec) {
		PropertyMapper map = PropertyMapper.get();
		map.from(listener::getQueue).to(spec::setQueue);
		map.from(listener::getExchange).to(spec::setExchange);
		map.from(listener::getExchangeType).to(spec::setExchangeType);
		map.from(listener::getRoutingKeys).to(spec::setRoutingKeys);
		map.from(listener::getQueueType).to(spec::setQueueType);
		map.from(listener::getPrefetch).to(spec::setPrefetch);
		map.from(consumers(spec.getId(), listener)).to(spec::setConcurrency);
		map.from(listener::getMessageTtl).to(spec::setMessageTtl);
		map.from(listener::getConnection).to(spec::setConnection);
		HareProperties.Retry retry = listener.getRetry();
		map.from(retry::getLimit).to(spec::setRetryLimit);
		// A fixed delay set here replaces a cascade from the annotation, and the other way round.
		map.from(retry::getDelay).to((delay) -> {
			spec.setRetryDelay(delay);
			spec.setRetryDelays(List.of());
		});
		map.from(retry::getDelays).to(spec::setRetryDelays);
		map.from(retry::getNonRetryable).whenNot(List::isEmpty).to(spec::setNonRetryable);
		map.from(retry::getBackoff).to(spec::setRetryBackoff);
		map.from(retry::getInitial).to(spec::setBackoffInitial);
		map.from(retry::getMultiplier).to(spec::setBackoffMultiplier);
		map.from(retry::getMax).to(spec::setBackoffMax);
		map.from(retry::getJitter).to(spec::setBackoffJitter);
		map.from(listener::getStreamOffset).to(spec::setStreamOffset);
		map.from(listener::getSingleActiveConsumer).to(spec::setSingleActiveConsumer);
		map.from(autoScaling(spec.getId(), listener.getAutoScaling())).to(spec::setAutoScaling);
	}

	/**
	 * {@code consumers} is an alias of {@code concurrency}: one of them, or both alike.
	 */
	private static @Nullable Integer consumers(String id, HareProperties.Listener listener) {
		Integer concurrency = listener.getConcurrency();
		Integer consumers = listener.getConsumers();
		if (concurrency != null && consumers != null && !concurrency.equals(consumers)) {
			throw new InvalidConfigurationPropertyValueException("hare.listeners." + id + ".consumers", consumers,
					"it is an alias of hare.listeners." + id + ".concurrency, which is " + concurrency
							+ "; set one of them");
		}
		return (consumers != null) ? consumers : concurrency;
	}

	private static @Nullable AutoScalingPolicy autoScaling(String id, HareProperties.AutoScaling properties) {
		Boolean enabled = properties.getEnabled();
		Integer max = properties.getMaxConsumers();
		if (Boolean.FALSE.equals(enabled) || (enabled == null && max == null)) {
			return null;
		}
		if (max == null) {
			throw new InvalidConfigurationPropertyValueException(
					"hare.listeners." + id + ".auto-scaling.max-consumers", null,
					"auto-scaling is enabled, so it needs the most consumers to run");
		}
		Duration interval = properties.getCheckInterval();
		Duration cooldown = (properties.getScaleDownCooldown() != null) ? properties.getScaleDownCooldown()
				: AutoScalingPolicy.defaultCooldown(interval);
		return new AutoScalingPolicy(properties.getMinConsumers(), max, properties.getMessagesPerConsumer(),
				interval, cooldown, properties.isClusterAware());
	}

	private void applyDefaults(HareProperties.Defaults defaults, HareListenerSpec spec) {
		if (spec.getExchangeType() == null) {
			spec.setExchangeType(defaults.getExchangeType());
		}
		if (spec.getQueueType() == null) {
			spec.setQueueType(defaults.getQueueType());
		}
		if (spec.getPrefetch() == null) {
			spec.setPrefetch(defaults.getPrefetch());
		}
		// A stream takes neither the default concurrency nor the retry defaults: every consumer
		// of a stream reads every message, and a stream message cannot be retried.
		boolean stream = spec.effectiveQueueType() == QueueType.STREAM;
		if (!stream && spec.getConcurrency() == null) {
			spec.setConcurrency(defaults.getConcurrency());
		}
		if (!stream && spec.getRetryLimit() == null) {
			spec.setRetryLimit(defaults.getRetry().getLimit());
		}
		if (!stream && spec.getRetryDelay() == null) {
			spec.setRetryDelay(defaults.getRetry().getDelay());
		}
	}

}
