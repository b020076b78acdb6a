package io.hare.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnections;
import io.hare.dedup.DedupStore;
import io.hare.publish.HarePublisherBuilder;
import io.hare.publish.HarePublisherCustomizer;
import io.hare.publish.HarePublishers;
import io.hare.publish.StreamPublishing;

import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Applies {@code hare.publishers.*}, {@code hare.dedup.*} and the defaults they fall back to
 * onto the {@link HarePublishers} registry, then builds each configured publisher after the
 * {@link HarePublisherCustomizer customizers} ran, checking each value first.
 */
class HarePropertiesPublisherConfigurer {

	private static final List<String> EXCHANGE_TYPES = List.of(ExchangeTypes.DIRECT, ExchangeTypes.TOPIC,
			ExchangeTypes.FANOUT, ExchangeTypes.HEADERS);

	private final HareProperties properties;

	private final BeanFactory beans;

	private final HareConnections connections;

	private final List<HarePublisherCustomizer> customizers;

	private final @Nullable StreamPublishing streamPublishing;

	HarePropertiesPublisherConfigurer(HareProperties properties, HareConnections connections,
			List<HarePublisherCustomizer> customizers, BeanFactory beans) {
		this(properties, connections, customizers, beans, null);
	}

	HarePropertiesPublisherConfigurer(HareProperties properties, HareConnections connections,
			List<HarePublisherCustomizer> customizers, BeanFactory beans, @Nullable StreamPublishing streamPublishing) {
		this.streamPublishing = streamPublishing;
		this.beans = beans;
		this.properties = properties;
		this.connections = connections;
		this.customizers = customizers;
	}

	void configure(HarePublishers publishers, @Nullable DedupStore dedupStore) {
		checkPositive("hare.confirm-timeout", this.properties.getConfirmTimeout());
		publishers.setDedupStore(dedupStore);
		publishers.setConfirmTimeout(this.properties.getConfirmTimeout());
		String exchangeType = this.properties.getDefaults().getExchangeType();
		publishers.setExchangeType((exchangeType != null)
				? checkExchangeType("hare.defaults.exchange-type", exchangeType)
				: ListenerSettingsFactory.DEFAULT_EXCHANGE_TYPE);
		publishers.setDedupFailOpen(this.properties.getDedup().isFailOpen());
		publishers.setIgnoreDeclarationConflicts(this.properties.getTopology().isIgnoreDeclarationConflicts());
		publishers.setNamePrefix(this.properties.getTest().getNamePrefix());
		this.properties.getPublishers().forEach((name, publisher) -> {
			HarePublisherBuilder builder = publishers.builder(name);
			apply("hare.publishers." + name, publisher, builder);
			this.customizers.forEach((customizer) -> customizer.customize(builder));
			builder.build();
		});
	}

	private void apply(String prefix, HareProperties.Publisher publisher, HarePublisherBuilder builder) {
		PropertyMapper map = PropertyMapper.get();
		map.from(publisher::getExchange).to(builder::exchange);
		map.from(publisher::getExchangeType)
			.as((type) -> checkExchangeType(prefix + ".exchange-type", type))
			.to(builder::exchangeType);
		map.from(publisher::getRoutingKey).to(builder::routingKey);
		map.from(publisher::isDeclareExchange).to(builder::declareExchange);
		map.from(publisher::getConnection).as((name) -> checkConnection(prefix + ".connection", name))
			.to(builder::connection);
		map.from(publisher::getConfirmTimeout)
			.as((timeout) -> checkPositive(prefix + ".confirm-timeout", timeout))
			.to(builder::confirmTimeout);
		map.from(publisher::getCompressAbove).to(builder::compressAbove);
		if (publisher.getStream() != null) {
			if (this.streamPublishing == null) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".stream", publisher.getStream(),
						"publishing to a stream needs com.rabbitmq:stream-client on the classpath and "
								+ "hare.streams.enabled not false");
			}
			builder.stream(publisher.getStream(), this.streamPublishing, publisher.getStreamProducerName());
		}
		else if (publisher.getStreamProducerName() != null) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".stream-producer-name",
					publisher.getStreamProducerName(), "applies only with " + prefix + ".stream");
		}
		builder.postProcessors(publisher.getPostProcessors()
			.stream()
			.map((bean) -> postProcessor(prefix + ".post-processors", bean))
			.toList());
		HareProperties.PublisherDedup dedup = publisher.getDedup();
		List<String> keys = dedup.getKeys();
		if (dedup.getTtl() == null) {
			if (!keys.isEmpty()) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".dedup.ttl", null,
						"deduplication keys " + keys + " are set but no time-to-live (a duration such as 10m, or "
								+ "infinite)");
			}
			return;
		}
		keys.forEach((key) -> {
			if (!StringUtils.hasText(key)) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".dedup.keys", keys,
						"a key must not be empty");
			}
		});
		builder.dedup(dedup.getTtl(), keys);
		map.from(dedup::getFailOpen).to(builder::dedupFailOpen);
	}

	private MessagePostProcessor postProcessor(String property, String bean) {
		try {
			return this.beans.getBean(bean, MessagePostProcessor.class);
		}
		catch (BeansException ex) {
			throw new InvalidConfigurationPropertyValueException(property, bean,
					"no MessagePostProcessor bean has this name: " + ex.getMessage());
		}
	}

	private String checkConnection(String property, String name) {
		if (!this.connections.asMap().containsKey(name)) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"no connection has this name; known: " + this.connections.asMap().keySet()
							+ " (configure it under hare.connections." + name + ")");
		}
		return name;
	}

	private static String checkExchangeType(String property, String type) {
		if (!EXCHANGE_TYPES.contains(type)) {
			throw new InvalidConfigurationPropertyValueException(property, type,
					"must be direct, topic, fanout or headers");
		}
		return type;
	}

	static Duration checkPositive(String property, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, duration, "must be positive");
		}
		return duration;
	}

}
