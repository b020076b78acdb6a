package io.hare.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;

/**
 * Finds {@link HareListener @HareListener} methods on beans and, once every singleton exists,
 * registers them with the {@link HareListenerRegistry}, their settings resolved by the
 * {@link ListenerSettingsResolver}.
 */
public class HareListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

	private final List<HareListenerEndpointSource> pending = new ArrayList<>();

	private ConfigurableBeanFactory beanFactory;

	private boolean singletonsInstantiated;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		Assert.isInstanceOf(ConfigurableBeanFactory.class, beanFactory);
		this.beanFactory = (ConfigurableBeanFactory) beanFactory;
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutListeners.contains(targetClass)) {
			return bean;
		}
		Map<Method, HareListener> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<HareListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, HareListener.class));
		if (methods.isEmpty()) {
			this.classesWithoutListeners.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			HareListenerEndpointSource source = new HareListenerEndpointSource(bean, invocable, annotation,
					this.beanFactory::resolveEmbeddedValue);
			synchronized (this.pending) {
				if (this.singletonsInstantiated) {
					register(source);
				}
				else {
					this.pending.add(source);
				}
			}
		});
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		synchronized (this.pending) {
			this.singletonsInstantiated = true;
			this.pending.forEach(this::register);
			this.pending.clear();
		}
	}

	private void register(HareListenerEndpointSource source) {
		HareListenerEndpoint endpoint = source.toEndpoint(this.beanFactory.getBean(ListenerSettingsResolver.class));
		this.beanFactory.getBean(HareListenerRegistry.class).register(endpoint);
	}

}
