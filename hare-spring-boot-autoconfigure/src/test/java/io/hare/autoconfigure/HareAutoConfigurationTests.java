package io.hare.autoconfigure;

import java.time.Duration;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.listener.HareListener;
import io.hare.listener.HareListenerContainerFactory;
import io.hare.listener.HareListenerCustomizer;
import io.hare.listener.HareListenerRegistry;
import io.hare.listener.ListenerSettings;
import io.hare.topology.QueueType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareAutoConfiguration}. They point at a port where no broker listens: a
 * listener that starts keeps trying in the background and declares nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class HareAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1");

	@Test
	void registersHareBeansAndNoListenerWithoutAnnotatedMethods() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HareListenerRegistry.class)
				.hasSingleBean(HareListenerContainerFactory.class)
				.hasSingleBean(HareConnections.class)
				.hasSingleBean(HareMessageConverter.class);
			assertThat(context.getBean(HareListenerRegistry.class).getListeners()).isEmpty();
			assertThat(context.getBean(HareConnections.class).asMap()).containsOnlyKeys(HareConnection.DEFAULT);
		});
	}

	@Test
	void turnsOnPublisherConfirmsAndReturnsOnBootsConnectionFactory() {
		this.runner.run((context) -> {
			CachingConnectionFactory connectionFactory = context.getBean(CachingConnectionFactory.class);
			assertThat(connectionFactory.isPublisherConfirms()).isTrue();
			assertThat(connectionFactory.isPublisherReturns()).isTrue();
		});
	}

	@Test
	void keepsSimplePublisherConfirmsWhenTheUserChoseThem() {
		this.runner.withPropertyValues("spring.rabbitmq.publisher-confirm-type=simple").run((context) -> {
			CachingConnectionFactory connectionFactory = context.getBean(CachingConnectionFactory.class);
			assertThat(connectionFactory.isSimplePublisherConfirms()).isTrue();
			assertThat(context.getBean(HareConnections.class).get(null).getConfirmType())
				.isEqualTo(CachingConnectionFactory.ConfirmType.SIMPLE);
		});
	}

	@Test
	void usesTheUsersMessageConverter() {
		this.runner.withUserConfiguration(UserConverterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HareMessageConverter.class);
			assertThat(context.getBean(HareMessageConverter.class))
				.isSameAs(context.getBean(UserConverterConfiguration.class).converter);
		});
	}

	@Test
	void usesTheUsersRegistry() {
		this.runner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HareListenerRegistry.class);
			assertThat(context).getBean(HareListenerRegistry.class)
				.isSameAs(context.getBean(UserRegistryConfiguration.class).registry);
		});
	}

	@Test
	void backsOffWithoutSpringAmqp() {
		this.runner.withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HareListenerRegistry.class));
	}

	@Test
	void failsStartupNamingTheKeyOfAnInvalidProperty() {
		this.runner.withUserConfiguration(ListenerConfiguration.class)
			.withPropertyValues("hare.listeners.audit.retry.limit=-1")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("hare.listeners.audit.retry.limit")
					.hasMessageContaining("-1");
			});
	}

	@Test
	void failsStartupNamingTheKeyOfAnUnparseableDurationProperty() {
		this.runner.withUserConfiguration(ListenerConfiguration.class)
			.withPropertyValues("hare.listeners.audit.retry.delay=ten seconds")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("Failed to bind properties under 'hare.listeners.audit.retry.delay'");
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("ten seconds");
			});
	}

	@Test
	void failsStartupNamingTheKeyOfAnUnknownQueueType() {
		this.runner.withPropertyValues("hare.defaults.queue.type=fancy").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Failed to bind properties under 'hare.defaults.queue.type'");
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("fancy");
		});
	}

	@Test
	void failsStartupNamingTheKeyOfAnUnknownConnection() {
		this.runner.withUserConfiguration(ListenerConfiguration.class)
			.withPropertyValues("hare.listeners.audit.connection=reporting")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("hare.listeners.audit.connection")
					.hasMessageContaining("reporting");
			});
	}

	@Test
	void failsStartupNamingAnUnparseableAnnotationDuration() {
		this.runner.withUserConfiguration(BadDelayConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("delay = \"ten seconds\"")
				.hasMessageContaining("BadDelayListener.onEvent");
		});
	}

	@Test
	void failsStartupOnAListenerMethodThatReturnsAValue() {
		this.runner.withUserConfiguration(ReturningConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure())).hasMessageContaining("must return void");
		});
	}

	@Test
	void failsStartupOnTwoListenersWithTheSameId() {
		this.runner.withUserConfiguration(ListenerConfiguration.class, DuplicateConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("Two Hare listeners have the id 'audit'");
			});
	}

	@Test
	void layersListenerPropertiesOverTheAnnotationOverTheDefaults() {
		this.runner.withUserConfiguration(ListenerConfiguration.class)
			.withPropertyValues("hare.defaults.queue.type=quorum", "hare.defaults.retry.limit=7",
					"hare.defaults.retry.delay=3s", "hare.listeners.audit.retry.delays=1s,5s",
					"hare.listeners.audit.routing-keys=a,b")
			.run((context) -> {
				ListenerSettings settings = settings(context.getBean(HareListenerRegistry.class));
				assertThat(settings.topology().queueType()).isEqualTo(QueueType.QUORUM);
				assertThat(settings.retryPolicy().limit()).as("from the annotation").isEqualTo(4);
				assertThat(settings.retryPolicy().delays()).containsExactly(Duration.ofSeconds(1),
						Duration.ofSeconds(5));
				assertThat(settings.topology().routingKeys()).containsExactly("a", "b");
				assertThat(settings.topology().exchangeType()).isEqualTo("direct");
			});
	}

	@Test
	void appliesUserCustomizersAfterProperties() {
		this.runner.withUserConfiguration(ListenerConfiguration.class, CustomizerConfiguration.class)
			.withPropertyValues("hare.listeners.audit.concurrency=2")
			.run((context) -> assertThat(settings(context.getBean(HareListenerRegistry.class)).concurrency())
				.isEqualTo(5));
	}

	@Test
	void honoursBootsListenerContainerSettingsThatHareDoesNotOwnAndSaysWhichItIgnores(CapturedOutput output) {
		this.runner.withUserConfiguration(ListenerConfiguration.class)
			.withPropertyValues("spring.rabbitmq.listener.simple.idle-event-interval=5s",
					"spring.rabbitmq.listener.simple.force-stop=true",
					"spring.rabbitmq.listener.simple.prefetch=42",
					"spring.rabbitmq.listener.simple.acknowledge-mode=manual",
					"spring.rabbitmq.listener.simple.retry.enabled=true")
			.run((context) -> {
				SimpleMessageListenerContainer container = context.getBean(HareListenerRegistry.class)
					.getListener("audit")
					.orElseThrow()
					.getContainer();
				assertThat(container).hasFieldOrPropertyWithValue("idleEventInterval", 5000L)
					.hasFieldOrPropertyWithValue("forceStop", true)
					.hasFieldOrPropertyWithValue("prefetchCount", 42);
				assertThat(container.getAcknowledgeMode()).as("Hare acks itself").isEqualTo(AcknowledgeMode.AUTO);
				assertThat(container).as("Hare retries itself")
					.extracting("adviceChain", InstanceOfAssertFactories.ARRAY)
					.isEmpty();
				assertThat(output).contains("Hare listeners ignore spring.rabbitmq.listener.simple.acknowledge-mode, "
						+ "retry.enabled");
			});
	}

	private static ListenerSettings settings(HareListenerRegistry registry) {
		return registry.getListener("audit").orElseThrow().getSettings();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConverterConfiguration {

		final HareMessageConverter converter = new HareMessageConverter(new JsonMapper());

		@Bean
		HareMessageConverter userConverter() {
			return this.converter;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistryConfiguration {

		HareListenerRegistry registry;

		@Bean
		HareListenerRegistry userRegistry(HareListenerContainerFactory factory) {
			this.registry = new HareListenerRegistry(factory);
			return this.registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		AuditListener auditListener() {
			return new AuditListener();
		}

	}

	static class AuditListener {

		@HareListener(id = "audit", queue = "audit-events", retryLimit = 4)
		void onEvent(String event) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateConfiguration {

		@Bean
		DuplicateListener duplicateListener() {
			return new DuplicateListener();
		}

	}

	static class DuplicateListener {

		@HareListener(id = "audit", queue = "other-events")
		void onEvent(String event) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadDelayConfiguration {

		@Bean
		BadDelayListener badDelayListener() {
			return new BadDelayListener();
		}

	}

	static class BadDelayListener {

		@HareListener(queue = "bad-delay", delay = "ten seconds")
		void onEvent(String event) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReturningConfiguration {

		@Bean
		ReturningListener returningListener() {
			return new ReturningListener();
		}

	}

	static class ReturningListener {

		@HareListener(queue = "returning")
		String onEvent(String event) {
			return event;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		HareListenerCustomizer auditConcurrency() {
			return HareListenerCustomizer.of("audit", (properties) -> properties.setConcurrency(5));
		}

	}

}
