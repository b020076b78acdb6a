package io.hare.autoconfigure;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.hare.inbox.HareInbox;
import io.hare.listener.HareListenerContainerFactory;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareInboxAutoConfiguration}. The data source and the broker point at ports
 * where nothing listens: the inbox is built, not started.
 */
class HareInboxAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
				HareInboxAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1")
		.withUserConfiguration(DataSourceConfiguration.class);

	@Test
	void isOffUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(HareInbox.class)
			.hasSingleBean(HareListenerContainerFactory.class));
	}

	@Test
	void buildsTheInboxOnTheConfiguredTable() {
		this.runner.withPropertyValues("hare.inbox.enabled=true", "hare.inbox.table=app.inbox").run((context) -> {
			assertThat(context).hasSingleBean(HareInbox.class);
			assertThat(context.getBean(HareInbox.class).getTable()).isEqualTo("app.inbox");
		});
	}

	@Test
	void needsADataSourceAndATransactionManager() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareInboxAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.port=1", "hare.inbox.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HareInbox.class));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareInboxAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.port=1", "hare.inbox.enabled=true")
			.withBean(DataSource.class, () -> new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HareInbox.class));
	}

	@Test
	void backsOffWithoutSpringJdbc() {
		this.runner.withPropertyValues("hare.inbox.enabled=true")
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HareInbox.class));
	}

	@Test
	void usesTheUsersInbox() {
		this.runner.withPropertyValues("hare.inbox.enabled=true")
			.withUserConfiguration(UserInboxConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(HareInbox.class);
				assertThat(context.getBean(HareInbox.class).getTable()).isEqualTo("mine");
			});
	}

	@Test
	void failsStartupNamingABadValue() {
		this.runner.withPropertyValues("hare.inbox.enabled=true", "hare.inbox.retention=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("hare.inbox.retention");
		});
	}

	@Test
	void failsStartupNamingAnUnknownInboxKey() {
		this.runner.withPropertyValues("hare.inbox.retension=1d").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("retension");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class DataSourceConfiguration {

		@Bean
		DataSource dataSource() {
			return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none");
		}

		@Bean
		PlatformTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserInboxConfiguration {

		@Bean
		HareInbox myInbox(DataSource dataSource, PlatformTransactionManager transactionManager) {
			return new HareInbox(dataSource, transactionManager, "mine");
		}

	}

}
