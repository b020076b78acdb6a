package io.hare.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Calls a {@code @HareListener} method that takes one plain payload, the common case, with
 * the message decoded by its parameter type, without building the Spring messaging message
 * (two copies of every header) that Spring AMQP's adapter builds for argument resolution.
 * A payload the adapter would treat otherwise (empty, or not of the parameter's type, which
 * it converts further or refuses) goes through the adapter, so the outcome is the same.
 */
final class PayloadMethodListener implements ChannelAwareMessageListener {

	private final Object bean;

	private final Method method;

	private final Type payloadType;

	private final Class<?> parameterClass;

	private final MessageConverter converter;

	private final ChannelAwareMessageListener adapter;

	PayloadMethodListener(Object bean, Method method, MessageConverter converter, ChannelAwareMessageListener adapter) {
		this.bean = bean;
		this.method = method;
		this.payloadType = method.getGenericParameterTypes()[0];
		this.parameterClass = ClassUtils.resolvePrimitiveIfNecessary(method.getParameterTypes()[0]);
		this.converter = converter;
		this.adapter = adapter;
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Whether a method can be called this way: one parameter with no annotation, which the
	 * adapter would resolve as the payload, and no return value, which it would send as a
	 * reply.
	 * @param method the listener method
	 * @return whether the method takes a plain payload
	 */
	static boolean supports(Method method) {
		if (method.getParameterCount() != 1 || method.getReturnType() != void.class
				|| method.getParameterAnnotations()[0].length > 0) {
			return false;
		}
		Class<?> type = method.getParameterTypes()[0];
		return type != Channel.class && type != MessageProperties.class && type != Optional.class
				&& !org.springframework.messaging.Message.class.isAssignableFrom(type)
				&& !java.util.Collection.class.isAssignableFrom(type);
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		Object payload;
		if (this.parameterClass == Message.class) {
			payload = message;
		}
		else {
			message.getMessageProperties().setInferredArgumentType(this.payloadType);
			payload = this.converter.fromMessage(message);
		}
		if (isEmpty(payload) || !this.parameterClass.isInstance(payload)) {
			this.adapter.onMessage(message, channel);
			return;
		}
		try {
			this.method.invoke(this.bean, payload);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw new UndeclaredThrowableException(target);
		}
	}

	private static boolean isEmpty(@Nullable Object payload) {
		return payload == null || (payload instanceof String text && text.isEmpty())
				|| (payload instanceof byte[] bytes && bytes.length == 0);
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("Hare listeners need the channel");
	}

}
