package io.hare.autoconfigure;

import org.junit.jupiter.api.Test;

import io.hare.connection.HareConnectionFactoryCustomizer;
import io.hare.connection.HareConnections;
import io.hare.connection.NamedConnectionFactories;
import io.hare.dedup.CaffeineDedupStore;
import io.hare.dedup.DedupStore;
import io.hare.dedup.DedupTtl;
import io.hare.dedup.RedisDedupStore;
import io.hare.publish.DefaultHarePublisher;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublisherCustomizer;
import io.hare.publish.HarePublishers;
import io.hare.test.RabbitBroker;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HarePublisherAutoConfiguration}, {@link HareRedisDedupAutoConfiguration} and
 * {@link HareConnectionsAutoConfiguration}: which beans exist, what wins, and which bad values
 * fail the start naming their key.
 */
class HarePublisherAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				HareAutoConfiguration.class, HareConnectionsAutoConfiguration.class,
				HarePublisherAutoConfiguration.class, HareRedisDedupAutoConfiguration.class))
		.withPropertyValues(RabbitBroker.get().springProperties())
		// Nothing to declare: these tests need no exchange on the broker.
		.withPropertyValues("hare.publishers.orders.declare-exchange=false");

	@Test
	void createsTheRegistryAnInMemoryDedupStoreAndABeanPerPublisher() {
		this.runner.withPropertyValues("hare.dedup.max-entries=500").run((context) -> {
			assertThat(context).hasSingleBean(HarePublishers.class)
				.hasSingleBean(CaffeineDedupStore.class)
				.hasSingleBean(HarePublisher.class)
				.hasBean("orders");
			assertThat(context.getBean(DedupStore.class).toString()).contains("500");
			assertThat(context.getBean("orders")).isSameAs(context.getBean(HarePublishers.class).get("orders"));
		});
	}

	@Test
	void appliesPublisherPropertiesAndDefaults() {
		this.runner
			.withPropertyValues("hare.defaults.exchange-type=topic", "hare.confirm-timeout=3s",
					"hare.publishers.orders.exchange=shop", "hare.publishers.orders.routing-key=order.created",
					"hare.publishers.orders.dedup.ttl=infinite", "hare.publishers.orders.dedup.keys=orderId",
					"hare.publishers.audit.exchange=audit", "hare.publishers.audit.exchange-type=fanout",
					"hare.publishers.audit.confirm-timeout=1s", "hare.publishers.audit.declare-exchange=false")
			.run((context) -> {
				DefaultHarePublisher orders = (DefaultHarePublisher) context.getBean("orders", HarePublisher.class);
				assertThat(orders.getExchange()).isEqualTo("shop");
				assertThat(orders.getRoutingKey()).isEqualTo("order.created");
				assertThat(orders.getExchangeType()).isEqualTo("topic");
				assertThat(orders.getConfirmTimeout()).hasSeconds(3);
				assertThat(orders.getDeduplication().ttl()).isEqualTo(DedupTtl.INFINITE);
				assertThat(orders.getDeduplication().keyStrategy()).hasToString("fields [orderId]");
				DefaultHarePublisher audit = (DefaultHarePublisher) context.getBean("audit", HarePublisher.class);
				assertThat(audit.getExchangeType()).isEqualTo("fanout");
				assertThat(audit.getConfirmTimeout()).hasSeconds(1);
				assertThat(audit.getDeduplication()).isNull();
			});
	}

	@Test
	void aUserDedupStoreWins() {
		this.runner.withUserConfiguration(UserDedupStoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DedupStore.class).doesNotHaveBean(CaffeineDedupStore.class);
			assertThat(context.getBean(DedupStore.class)).isSameAs(UserDedupStoreConfiguration.STORE);
		});
	}

	@Test
	void storeRedisUsesTheRedisDedupStore() {
		this.runner.withPropertyValues("hare.dedup.store=redis", "hare.dedup.redis.key-prefix=app:")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisDedupStore.class).doesNotHaveBean(CaffeineDedupStore.class);
				assertThat(context.getBean(RedisDedupStore.class).getKeyPrefix()).isEqualTo("app:");
			});
	}

	@Test
	void storeRedisWithoutSpringDataRedisFailsNamingTheProperty() {
		this.runner.withClassLoader(new FilteredClassLoader(StringRedisTemplate.class))
			.withPropertyValues("hare.dedup.store=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("hare.dedup.store")
					.hasMessageContaining("Spring Data Redis");
			});
	}

	@Test
	void withoutSpringDataRedisTheInMemoryStoreIsUsed() {
		this.runner.withClassLoader(new FilteredClassLoader(StringRedisTemplate.class))
			.run((context) -> assertThat(context).hasSingleBean(CaffeineDedupStore.class)
				.doesNotHaveBean(RedisDedupStore.class));
	}

	@Test
	void aBeanWithThePublishersNameKeepsItsNameAndThePublisherIsStillQualified() {
		this.runner.withUserConfiguration(OrdersBeanConfiguration.class)
			.withUserConfiguration(QualifiedInjectionConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean("orders")).isEqualTo("not a publisher");
				assertThat(context).hasBean("ordersHarePublisher");
				assertThat(context.getBean(QualifiedInjectionConfiguration.Holder.class).publisher().getName())
					.isEqualTo("orders");
			});
	}

	@Test
	void customizersAdjustConfiguredPublishers() {
		this.runner.withBean(HarePublisherCustomizer.class,
				() -> HarePublisherCustomizer.of("orders", (builder) -> builder.routingKey("customized")))
			.run((context) -> assertThat(context.getBean("orders", HarePublisher.class).getRoutingKey())
				.isEqualTo("customized"));
	}

	@Test
	void badPublisherValuesFailNamingTheirKey() {
		this.runner.withPropertyValues("hare.publishers.orders.exchange-type=fan")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
				.rootCause()
				.hasMessageContaining("hare.publishers.orders.exchange-type"));
		this.runner.withPropertyValues("hare.publishers.orders.connection=nowhere")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("hare.publishers.orders.connection")
				.hasMessageContaining("hare.connections.nowhere"));
		this.runner.withPropertyValues("hare.publishers.orders.dedup.keys=orderId")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("hare.publishers.orders.dedup.ttl"));
		this.runner.withPropertyValues("hare.publishers.orders.dedup.ttl=forever")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("hare.publishers.orders.dedup.ttl"));
		this.runner.withPropertyValues("hare.dedup.max-entries=0")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("hare.dedup.max-entries"));
	}

	@Test
	void namedConnectionsHaveCorrelatedConfirmsReturnsAndSpringRabbitmqTuning() {
		this.runner.withPropertyValues("hare.connections.billing.host=127.0.0.1", "hare.connections.billing.virtual-host=billing",
				"spring.rabbitmq.cache.channel.size=7")
			.withBean(HareConnectionFactoryCustomizer.class,
					() -> (name, factory) -> factory.setCloseTimeout(1234))
			.run((context) -> {
				CachingConnectionFactory billing = (CachingConnectionFactory) context
					.getBean(NamedConnectionFactories.class)
					.asMap()
					.get("billing");
				assertThat(billing.isPublisherConfirms()).isTrue();
				assertThat(billing.isPublisherReturns()).isTrue();
				assertThat(billing.getVirtualHost()).isEqualTo("billing");
				assertThat(billing.getChannelCacheSize()).isEqualTo(7);
				assertThat(billing.getCloseTimeout()).isEqualTo(1234);
				assertThat(context.getBean(HareConnections.class).get("billing").getConnectionFactory())
					.isSameAs(billing);
			});
	}

	@Test
	void aNamedConnectionCalledDefaultFailsNamingTheKey() {
		this.runner.withPropertyValues("hare.connections.default.host=elsewhere")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("hare.connections.default"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDedupStoreConfiguration {

		static final DedupStore STORE = new DedupStore() {

			@Override
			public boolean claim(String key, DedupTtl ttl) {
				return true;
			}

			@Override
			public void release(String key) {
			}

		};

		@Bean
		DedupStore userDedupStore() {
			return STORE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersBeanConfiguration {

		@Bean
		String orders() {
			return "not a publisher";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjectionConfiguration {

		@Bean
		Holder holder(@org.springframework.beans.factory.annotation.Qualifier("orders") HarePublisher publisher) {
			return new Holder(publisher);
		}

		record Holder(HarePublisher publisher) {
		}

	}

}
