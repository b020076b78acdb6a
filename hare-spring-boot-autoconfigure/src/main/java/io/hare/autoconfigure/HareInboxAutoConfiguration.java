package io.hare.autoconfigure;

import javax.sql.DataSource;

import io.hare.inbox.HareInbox;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static io.hare.autoconfigure.HarePropertiesPublisherConfigurer.checkPositive;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the idempotent {@link HareInbox inbox} ({@code hare.inbox.enabled}): idempotent
 * listeners record each message's id in the application's {@link DataSource}, in the
 * transaction of their handler.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnBooleanProperty("hare.inbox.enabled")
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(HareProperties.class)
public final class HareInboxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(PlatformTransactionManager.class)
	HareInbox hareInbox(DataSource dataSource, PlatformTransactionManager transactionManager,
			HareProperties properties) {
		InboxProperties inbox = properties.getInbox();
		HareInbox hareInbox = new HareInbox(dataSource, transactionManager, inbox.getTable());
		hareInbox.setInitializeSchema(inbox.isInitializeSchema());
		hareInbox.setRetention(checkPositive("hare.inbox.retention", inbox.getRetention()));
		hareInbox.setCleanupInterval(checkPositive("hare.inbox.cleanup-interval", inbox.getCleanupInterval()));
		return hareInbox;
	}

}
