package io.hare.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.hare.connection.HareConnections;
import io.hare.delay.DelayTopology;
import io.hare.delay.HareDelayedSender;
import io.hare.delay.HareDelays;
import io.hare.listener.HareListener;
import io.hare.listener.HareListenerRegistry;
import io.hare.listener.ListenerSettings;
import io.hare.retry.ExponentialBackoff;
import io.hare.retry.RetryBackoff;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareDelayAutoConfiguration} and the exponential backoff settings. They
 * point at a port where no broker listens: nothing is declared.
 */
class HareDelayAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
				HareDelayAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1");

	@Test
	void offersDelayedDeliveryUnderTheDefaultPrefix() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HareDelays.class).hasSingleBean(HareDelayedSender.class);
			assertThat(context.getBean(HareDelays.class).getTopology().getPrefix()).isEqualTo("hare.delay");
			assertThat(context.getBean(HareDelays.class).isRunning()).isTrue();
		});
	}

	@Test
	void usesTheConfiguredPrefix() {
		this.runner.withPropertyValues("hare.delay.prefix=billing.delay")
			.run((context) -> assertThat(context.getBean(HareDelayedSender.class).getInfrastructure().getTopology()
				.readyQueue()).isEqualTo("billing.delay.ready.quorum"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("hare.delay.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HareDelays.class)
				.doesNotHaveBean(HareDelayedSender.class)
				.hasSingleBean(HareListenerRegistry.class));
	}

	@Test
	void usesTheUsersDelays() {
		this.runner.withUserConfiguration(UserDelaysConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HareDelays.class);
			assertThat(context.getBean(HareDelays.class).getTopology().getPrefix()).isEqualTo("mine");
		});
	}

	@Test
	void failsStartupNamingABadPrefix() {
		this.runner.withPropertyValues("hare.delay.prefix=a.#").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("hare.delay.prefix");
		});
	}

	@Test
	void failsStartupNamingABadForwarderConcurrency() {
		this.runner.withPropertyValues("hare.delay.forwarder.concurrency=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("hare.delay.forwarder.concurrency");
		});
	}

	@Test
	void readsExponentialBackoffFromTheAnnotation() {
		this.runner.withUserConfiguration(BackoffConfiguration.class).run((context) -> {
			ListenerSettings settings = settings(context.getBean(HareListenerRegistry.class));
			assertThat(settings.retryPolicy().backoff()).isEqualTo(new ExponentialBackoff(Duration.ofMillis(500), 3,
					Duration.ofMinutes(2), 0.1));
			assertThat(settings.topology().delayLevels()).as("no delay queue of its own").isEmpty();
		});
	}

	@Test
	void propertiesOverrideTheAnnotationsBackoffAndFillDefaults() {
		this.runner.withUserConfiguration(BackoffConfiguration.class)
			.withPropertyValues("hare.listeners.billing.retry.backoff.multiplier=1.5", "hare.listeners.billing.retry.backoff.max=1m")
			.run((context) -> assertThat(settings(context.getBean(HareListenerRegistry.class)).retryPolicy().backoff())
				.isEqualTo(new ExponentialBackoff(Duration.ofMillis(500), 1.5, Duration.ofMinutes(1), 0.1)));
		this.runner.withUserConfiguration(FixedConfiguration.class)
			.withPropertyValues("hare.listeners.audit.retry.backoff.type=exponential")
			.run((context) -> assertThat(settings(context.getBean(HareListenerRegistry.class), "audit").retryPolicy()
				.backoff()).isEqualTo(new ExponentialBackoff(Duration.ofSeconds(1), 2, Duration.ofHours(1), 0)));
	}

	@Test
	void failsStartupNamingTheKeyOfABadBackoff() {
		this.runner.withUserConfiguration(BackoffConfiguration.class)
			.withPropertyValues("hare.listeners.billing.retry.backoff.jitter=2")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("hare.listeners.billing.retry.backoff.jitter"));
		this.runner.withUserConfiguration(BackoffConfiguration.class)
			.withPropertyValues("hare.listeners.billing.retry.backoff.initial=0s")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("hare.listeners.billing.retry.backoff.initial"));
		this.runner.withUserConfiguration(BackoffConfiguration.class)
			.withPropertyValues("hare.listeners.billing.retry.backoff.max=100ms")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("hare.listeners.billing.retry.backoff.max"));
		this.runner.withUserConfiguration(BackoffConfiguration.class)
			.withPropertyValues("hare.listeners.billing.retry.backoff.max=3650d")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("hare.listeners.billing.retry.backoff.max")
				.hasMessageContaining(DelayTopology.MAX_DELAY.toString()));
	}

	@Test
	void failsStartupOnBackoffSettingsWithoutExponentialBackoff() {
		this.runner.withUserConfiguration(FixedConfiguration.class)
			.withPropertyValues("hare.listeners.audit.retry.backoff.initial=5s")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("hare.listeners.audit.retry.backoff.initial")
				.hasMessageContaining("applies only with retry.backoff.type exponential"));
	}

	@Test
	void failsStartupOnExponentialBackoffWithDelaysDisabled() {
		this.runner.withUserConfiguration(BackoffConfiguration.class)
			.withPropertyValues("hare.delay.enabled=false")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("hare.delay.enabled")
				.hasMessageContaining("'billing'"));
	}

	private static Throwable failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
		assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
		return cause;
	}

	private static ListenerSettings settings(HareListenerRegistry registry) {
		return settings(registry, "billing");
	}

	private static ListenerSettings settings(HareListenerRegistry registry, String id) {
		return registry.getListener(id).orElseThrow().getSettings();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDelaysConfiguration {

		@Bean
		HareDelays userDelays(HareConnections connections) {
			return new HareDelays(connections, new DelayTopology("mine"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BackoffConfiguration {

		@Bean
		BillingListener billingListener() {
			return new BillingListener();
		}

	}

	static class BillingListener {

		@HareListener(id = "billing", queue = "billing", backoff = RetryBackoff.EXPONENTIAL, backoffInitial = "500ms",
				backoffMultiplier = "3", backoffMax = "2m", backoffJitter = "0.1")
		void onInvoice(String invoice) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FixedConfiguration {

		@Bean
		AuditListener auditListener() {
			return new AuditListener();
		}

	}

	static class AuditListener {

		@HareListener(id = "audit", queue = "audit", delay = "5s")
		void onEvent(String event) {
		}

	}

}
