package io.hare.autoconfigure;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.hare.outbox.HareOutbox;
import io.hare.publish.HarePublishers;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareOutboxAutoConfiguration}. The data source and the broker point at ports
 * where nothing listens: the outbox is built and its relay waits, nothing is sent.
 */
class HareOutboxAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
				HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class,
				HareOutboxAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1")
		.withUserConfiguration(DataSourceConfiguration.class);

	@Test
	void isOffUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(HareOutbox.class)
			.hasSingleBean(HarePublishers.class));
	}

	@Test
	void buildsTheOutboxOnTheConfiguredTable() {
		this.runner.withPropertyValues("hare.outbox.enabled=true", "hare.outbox.table=app.outbox").run((context) -> {
			assertThat(context).hasSingleBean(HareOutbox.class);
			assertThat(context.getBean(HareOutbox.class).getTable()).isEqualTo("app.outbox");
			assertThat(context.getBean(HareOutbox.class).isListening()).as("no database answers").isFalse();
		});
	}

	@Test
	void needsADataSource() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class,
					HareOutboxAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.port=1", "hare.outbox.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HareOutbox.class));
	}

	@Test
	void backsOffWithoutSpringJdbc() {
		this.runner.withPropertyValues("hare.outbox.enabled=true")
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HareOutbox.class));
	}

	@Test
	void usesTheUsersOutbox() {
		this.runner.withPropertyValues("hare.outbox.enabled=true")
			.withUserConfiguration(UserOutboxConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(HareOutbox.class);
				assertThat(context.getBean(HareOutbox.class).getTable()).isEqualTo("mine");
			});
	}

	@Test
	void failsStartupNamingABadValue() {
		this.runner.withPropertyValues("hare.outbox.enabled=true", "hare.outbox.lease=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("hare.outbox.lease");
		});
	}

	@Test
	void failsStartupNamingAnUnknownOutboxKey() {
		this.runner.withPropertyValues("hare.outbox.enabeld=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("enabeld");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class DataSourceConfiguration {

		@Bean
		DataSource dataSource() {
			return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOutboxConfiguration {

		@Bean
		HareOutbox myOutbox(DataSource dataSource) {
			return new HareOutbox(dataSource, "mine", (name) -> null);
		}

	}

}
