package io.hare.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.connection.NamedConnectionFactories;
import io.hare.convert.HareMessageConverter;
import io.hare.delay.HareDelays;
import io.hare.listener.HareListener;
import io.hare.listener.HareListenerAnnotationBeanPostProcessor;
import io.hare.listener.HareListenerContainerFactory;
import io.hare.listener.HareListenerCustomizer;
import io.hare.listener.HareListenerObserver;
import io.hare.listener.HareListenerRegistry;
import io.hare.listener.HareStreamFailureCallback;
import io.hare.listener.StreamProtocol;
import io.hare.listener.IdempotentHandlers;
import io.hare.listener.ListenerSettingsResolver;
import io.hare.publish.HarePublishers;
import io.hare.retry.HareRetryPolicy;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Hare's connections and {@link HareListener @HareListener} methods.
 */
@AutoConfiguration(after = RabbitAutoConfiguration.class)
@ConditionalOnClass({ RabbitTemplate.class, HareListener.class })
@ConditionalOnSingleCandidate(ConnectionFactory.class)
@EnableConfigurationProperties(HareProperties.class)
@Import(HareStreamsConfiguration.class)
public final class HareAutoConfiguration {

	@Bean
	static HareConnectionFactoryPostProcessor hareConnectionFactoryPostProcessor() {
		return new HareConnectionFactoryPostProcessor();
	}

	@Bean
	static HareListenerAnnotationBeanPostProcessor hareListenerAnnotationBeanPostProcessor() {
		return new HareListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	HareMessageConverter hareMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
		return new HareMessageConverter(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	@ConditionalOnMissingBean
	HareConnections hareConnections(ConnectionFactory connectionFactory,
			ObjectProvider<NamedConnectionFactories> namedConnectionFactories) {
		List<HareConnection> connections = new ArrayList<>();
		connections.add(new HareConnection(HareConnection.DEFAULT, connectionFactory));
		namedConnectionFactories.ifAvailable((named) -> named.asMap()
			.forEach((name, factory) -> connections.add(new HareConnection(name, factory))));
		return new HareConnections(connections);
	}

	@Bean
	@ConditionalOnMissingBean
	ListenerSettingsResolver hareListenerSettingsResolver(HareProperties properties,
			ObjectProvider<RabbitProperties> rabbitProperties, HareConnections connections,
			ObjectProvider<HareListenerCustomizer> customizers, ObjectProvider<IdempotentHandlers> inbox) {
		return new HareListenerSettingsResolver(properties, rabbitProperties.getIfAvailable(),
				connections.asMap().keySet(), customizers, inbox);
	}

	@Bean
	@ConditionalOnMissingBean
	HareListenerContainerFactory hareListenerContainerFactory(HareConnections connections,
			HareMessageConverter messageConverter, HareProperties properties, ApplicationContext applicationContext,
			BeanFactory beanFactory, ObjectProvider<HareStreamFailureCallback> streamFailureCallbacks,
			ObjectProvider<HareDelays> delays, ObjectProvider<HareListenerObserver> observers,
			ObjectProvider<RabbitProperties> rabbitProperties, ObjectProvider<HareRetryPolicy> retryPolicy,
			ObjectProvider<IdempotentHandlers> inbox, ObjectProvider<StreamProtocol> streamProtocol) {
		DefaultMessageHandlerMethodFactory handlerMethodFactory = new DefaultMessageHandlerMethodFactory();
		handlerMethodFactory.setBeanFactory(beanFactory);
		handlerMethodFactory.afterPropertiesSet();
		HareListenerContainerFactory factory = new HareListenerContainerFactory(connections, handlerMethodFactory,
				messageConverter, applicationContext);
		factory.setConfirmTimeout(properties.getConfirmTimeout());
		factory.setIgnoreDeclarationConflicts(properties.getTopology().isIgnoreDeclarationConflicts());
		factory.setStreamFailureCallbacks(streamFailureCallbacks.orderedStream().toList());
		factory.setDelays(delays.getIfAvailable());
		factory.setObservers(observers.orderedStream().toList());
		factory.setObservationEnabled(properties.getObservation().isEnabled());
		factory.setRetryPolicy(retryPolicy.getIfUnique());
		factory.setIdempotentHandlers(inbox.getIfUnique());
		factory.setStreamProtocol(streamProtocol.getIfUnique());
		rabbitProperties.ifAvailable((rabbit) -> factory
			.setContainerCustomizer(new BootListenerContainerSettings(rabbit.getListener().getSimple())));
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	HareListenerRegistry hareListenerRegistry(HareListenerContainerFactory containerFactory,
			ListenerSettingsResolver settingsResolver) {
		HareListenerRegistry registry = new HareListenerRegistry(containerFactory);
		registry.setSettingsResolver(settingsResolver);
		return registry;
	}

	@Bean
	@ConditionalOnBooleanProperty("hare.observation.enabled")
	HareTemplateObservationInitializer hareTemplateObservationInitializer(
			ObjectProvider<HareConnections> connections, ObjectProvider<HarePublishers> publishers,
			ApplicationContext applicationContext) {
		return new HareTemplateObservationInitializer(connections, publishers, applicationContext);
	}

}
