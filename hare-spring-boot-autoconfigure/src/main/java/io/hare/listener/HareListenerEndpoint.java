package io.hare.listener;

import java.lang.reflect.Method;

import org.springframework.util.Assert;

/**
 * A listener to run: its settings and the bean method that handles its messages.
 *
 * @param spec the listener's settings, validated
 * @param bean the bean that handles the messages
 * @param method the handler method, invocable on the bean
 */
public record HareListenerEndpoint(HareListenerSpec spec, Object bean, Method method) {

	public HareListenerEndpoint {
		Assert.notNull(spec, "'spec' must not be null");
		Assert.notNull(bean, "'bean' must not be null");
		Assert.notNull(method, "'method' must not be null");
		Assert.state(method.getReturnType() == void.class, () -> "Hare listener '" + spec.getId() + "' method "
				+ method.getDeclaringClass().getSimpleName() + "." + method.getName()
				+ " must return void: Hare acks when it returns and sends no reply");
	}

	/**
	 * Return the listener id.
	 * @return the id
	 */
	public String id() {
		return this.spec.getId();
	}

	/**
	 * Return the handler, as {@code Class.method}, for messages.
	 * @return the handler description
	 */
	public String handlerDescription() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
	}

}
