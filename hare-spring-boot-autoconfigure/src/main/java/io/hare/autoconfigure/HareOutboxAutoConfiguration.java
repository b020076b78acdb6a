package io.hare.autoconfigure;

import javax.sql.DataSource;

import io.hare.convert.HareMessageConverter;
import io.hare.outbox.HareOutbox;
import io.hare.publish.HarePublishers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.hare.autoconfigure.HarePropertiesPublisherConfigurer.checkPositive;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the transactional {@link HareOutbox outbox} ({@code hare.outbox.enabled}): publishes
 * inside a transaction are stored in the application's {@link DataSource} and sent after the
 * commit.
 */
@AutoConfiguration(after = HarePublisherAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnBooleanProperty("hare.outbox.enabled")
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(HareProperties.class)
public final class HareOutboxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HareOutbox hareOutbox(DataSource dataSource, HareProperties properties, ObjectProvider<HarePublishers> publishers,
			ObjectProvider<HareMessageConverter> messageConverter) {
		OutboxProperties outbox = properties.getOutbox();
		HareOutbox hareOutbox = new HareOutbox(dataSource, outbox.getTable(),
				(name) -> publishers.getObject().find(name).orElse(null));
		hareOutbox.setInitializeSchema(outbox.isInitializeSchema());
		hareOutbox.setRequireTransaction(outbox.isRequireTransaction());
		hareOutbox.setBatchSize(atLeastOne("hare.outbox.batch-size", outbox.getBatchSize()));
		hareOutbox.setPollInterval(checkPositive("hare.outbox.poll-interval", outbox.getPollInterval()));
		hareOutbox.setLease(checkPositive("hare.outbox.lease", outbox.getLease()));
		OutboxProperties.Backoff backoff = outbox.getBackoff();
		hareOutbox.setBackoff(checkPositive("hare.outbox.backoff.initial", backoff.getInitial()),
				checkPositive("hare.outbox.backoff.max", backoff.getMax()));
		HareMessageConverter converter = messageConverter.getIfAvailable();
		hareOutbox.setOrdering(outbox.getOrdering().getHeader(), outbox.getOrdering().getField(),
				(converter != null) ? converter.getJsonMapper() : null);
		return hareOutbox;
	}

	private static int atLeastOne(String key, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(key, value, "must be at least 1");
		}
		return value;
	}

}
