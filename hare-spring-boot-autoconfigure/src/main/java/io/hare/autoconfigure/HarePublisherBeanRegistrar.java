package io.hare.autoconfigure;

import java.util.Map;

import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a {@link HarePublisher} bean for each {@code hare.publishers.<name>}, named and
 * qualified by that name, so that {@code @Qualifier("orders") HarePublisher orders} (or a
 * parameter simply called {@code orders}) injects it. The instance comes from
 * {@link HarePublishers}, which builds it. When another bean already has the name, the publisher
 * is registered as {@code <name>HarePublisher}, still qualified by its name.
 */
class HarePublisherBeanRegistrar implements ImportBeanDefinitionRegistrar {

	private final Environment environment;

	private final BeanFactory beanFactory;

	HarePublisherBeanRegistrar(Environment environment, BeanFactory beanFactory) {
		this.environment = environment;
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, HareProperties.Publisher> publishers = Binder.get(this.environment)
			.bind("hare.publishers", Bindable.mapOf(String.class, HareProperties.Publisher.class))
			.orElse(Map.of());
		for (String name : publishers.keySet()) {
			RootBeanDefinition definition = new RootBeanDefinition(HarePublisher.class);
			definition.setTargetType(HarePublisher.class);
			definition.setInstanceSupplier(() -> this.beanFactory.getBean(HarePublishers.class).get(name));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			String beanName = registry.containsBeanDefinition(name) ? name + "HarePublisher" : name;
			registry.registerBeanDefinition(beanName, definition);
		}
	}

}
