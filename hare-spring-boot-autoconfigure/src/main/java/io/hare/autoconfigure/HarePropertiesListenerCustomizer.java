package io.hare.autoconfigure;

import java.util.List;

import io.hare.listener.HareListenerCustomizer;
import io.hare.listener.HareListenerSpec;

import org.springframework.boot.context.properties.PropertyMapper;
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
		map.from(listener::getConcurrency).to(spec::setConcurrency);
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
		if (spec.getConcurrency() == null) {
			spec.setConcurrency(defaults.getConcurrency());
		}
		if (spec.getRetryLimit() == null) {
			spec.setRetryLimit(defaults.getRetry().getLimit());
		}
		if (spec.getRetryDelay() == null) {
			spec.setRetryDelay(defaults.getRetry().getDelay());
		}
	}

}
