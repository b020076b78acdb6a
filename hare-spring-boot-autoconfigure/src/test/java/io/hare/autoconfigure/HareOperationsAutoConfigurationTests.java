package io.hare.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.hare.actuate.HareHealthIndicator;
import io.hare.actuate.HareMetrics;
import io.hare.autoconfigure.actuate.HareHealthContributorAutoConfiguration;
import io.hare.autoconfigure.actuate.HareMetricsAutoConfiguration;
import io.hare.connection.HareConnectionMonitor;
import io.hare.connection.HareConnections;
import io.hare.event.HareConnectionEventPublisher;
import io.hare.event.HareConsumerEventTranslator;
import io.hare.event.HareEventPublishingObserver;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.HareListenerStatistics;
import io.hare.operations.HareOperations;
import io.hare.operations.HarePublisherStatistics;
import io.hare.operations.QueueDepths;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareOperationsAutoConfiguration}, {@link HareMetricsAutoConfiguration} and
 * {@link HareHealthContributorAutoConfiguration}. No broker is needed: nothing connects until
 * a listener starts.
 */
class HareOperationsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
				HareOperationsAutoConfiguration.class, HareMetricsAutoConfiguration.class,
				HareHealthContributorAutoConfiguration.class));

	@Test
	void configuresOperationsEventsAndHealth() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HareOperations.class)
				.hasSingleBean(QueueDepths.class)
				.hasSingleBean(HareListenerStatistics.class)
				.hasSingleBean(HarePublisherStatistics.class)
				.hasSingleBean(HareConnectionMonitor.class)
				.hasSingleBean(HareEventPublishingObserver.class)
				.hasSingleBean(HareConnectionEventPublisher.class)
				.hasSingleBean(HareConsumerEventTranslator.class)
				.hasSingleBean(HareHealthIndicator.class);
			assertThat(context).hasBean("hareHealthIndicator");
		});
	}

	@Test
	void metricsNeedAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(HareMetrics.class));
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(HareMetrics.class));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(UserOperationsConfiguration.class)
			.run((context) -> {
				assertThat(context).getBean(HareOperations.class).isSameAs(context.getBean("myOperations"));
				assertThat(context).getBean(HareListenerStatistics.class).isSameAs(context.getBean("myStatistics"));
			});
	}

	@Test
	void isOffWithoutHare() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HareOperationsAutoConfiguration.class,
					HareMetricsAutoConfiguration.class, HareHealthContributorAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HareOperations.class)
					.doesNotHaveBean(HareMetrics.class)
					.doesNotHaveBean(HareHealthIndicator.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserOperationsConfiguration {

		@Bean
		HareOperations myOperations(HareListenerRegistry registry, HareConnections connections,
				ApplicationEventPublisher eventPublisher) {
			return new HareOperations(registry, connections, eventPublisher);
		}

		@Bean
		HareListenerStatistics myStatistics() {
			return new HareListenerStatistics();
		}

	}

}
