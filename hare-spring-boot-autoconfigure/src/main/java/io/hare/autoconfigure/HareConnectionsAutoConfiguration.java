package io.hare.autoconfigure;

import io.hare.connection.HareConnectionFactoryCustomizer;
import io.hare.connection.NamedConnectionFactories;
import io.hare.listener.HareListener;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Hare's named connections ({@code hare.connections.<name>}), which
 * {@link HareAutoConfiguration} adds to the connections listeners and publishers pick from.
 */
@AutoConfiguration(after = RabbitAutoConfiguration.class, before = HareAutoConfiguration.class)
@ConditionalOnClass({ RabbitTemplate.class, HareListener.class })
@ConditionalOnSingleCandidate(ConnectionFactory.class)
@EnableConfigurationProperties(HareProperties.class)
public final class HareConnectionsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NamedConnectionFactories hareNamedConnectionFactories(HareProperties properties, Environment environment,
			ResourceLoader resourceLoader, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<HareConnectionFactoryCustomizer> customizers) {
		return new NamedConnectionFactoryCreator(Binder.get(environment), resourceLoader, sslBundles.getIfAvailable(),
				customizers.orderedStream().toList())
			.createAll(properties.getConnections());
	}

}
