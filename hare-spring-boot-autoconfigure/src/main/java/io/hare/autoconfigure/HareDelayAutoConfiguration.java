package io.hare.autoconfigure;

import io.hare.connection.HareConnections;
import io.hare.delay.DelayTopology;
import io.hare.delay.HareDelayedSender;
import io.hare.delay.HareDelays;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Hare's delay levels: delayed delivery without broker plugins, and exponential backoff
 * for listener retries.
 */
@AutoConfiguration(after = HareAutoConfiguration.class)
@ConditionalOnBean(HareConnections.class)
@ConditionalOnBooleanProperty(name = "hare.delay.enabled", matchIfMissing = true)
public final class HareDelayAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HareDelays hareDelays(HareConnections connections, HareProperties properties) {
		HareProperties.Delay delay = properties.getDelay();
		HareProperties.Forwarder forwarder = delay.getForwarder();
		if (forwarder.getConcurrency() < 1) {
			throw new InvalidConfigurationPropertyValueException("hare.delay.forwarder.concurrency",
					forwarder.getConcurrency(), "must be at least 1");
		}
		if (forwarder.getPrefetch() != null && forwarder.getPrefetch() < 1) {
			throw new InvalidConfigurationPropertyValueException("hare.delay.forwarder.prefetch",
					forwarder.getPrefetch(), "must be at least 1");
		}
		HareDelays delays = new HareDelays(connections, topology(delay.getPrefix()));
		delays.setIgnoreDeclarationConflicts(properties.getTopology().isIgnoreDeclarationConflicts());
		delays.setConfirmTimeout(properties.getConfirmTimeout());
		delays.setForwarderEnabled(forwarder.isEnabled());
		delays.setForwarderConcurrency(forwarder.getConcurrency());
		delays.setForwarderPrefetch(forwarder.getPrefetch());
		delays.setTimeScale(HareTestSettings.timeScale(properties));
		return delays;
	}

	@Bean
	@ConditionalOnMissingBean
	HareDelayedSender hareDelayedSender(HareDelays delays) {
		return delays.sender(null);
	}

	private static DelayTopology topology(String prefix) {
		try {
			return new DelayTopology(prefix);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("hare.delay.prefix", prefix, ex.getMessage());
		}
	}

}
