package io.hare.listener;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A listener to run: its settings and what handles its messages, either a bean method (a
 * {@link HareListener @HareListener}) or a {@link HareMessageHandler} with its payload type.
 */
public final class HareListenerEndpoint {

	private final ListenerSettings settings;

	private final @Nullable Object bean;

	private final @Nullable Method method;

	private final @Nullable Class<?> payloadType;

	private final @Nullable HareMessageHandler<?> handler;

	/**
	 * Create an endpoint that calls a bean method.
	 * @param settings the listener's settings
	 * @param bean the bean that handles the messages
	 * @param method the handler method, invocable on the bean
	 */
	public HareListenerEndpoint(ListenerSettings settings, Object bean, Method method) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(bean, "'bean' must not be null");
		Assert.notNull(method, "'method' must not be null");
		Assert.state(method.getReturnType() == void.class, () -> "Hare listener '" + settings.id() + "' method "
				+ method.getDeclaringClass().getSimpleName() + "." + method.getName()
				+ " must return void: Hare acks when it returns and sends no reply");
		this.settings = settings;
		this.bean = bean;
		this.method = method;
		this.payloadType = null;
		this.handler = null;
	}

	private <T> HareListenerEndpoint(ListenerSettings settings, Class<T> payloadType, HareMessageHandler<T> handler) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(payloadType, "'payloadType' must not be null");
		Assert.notNull(handler, "'handler' must not be null");
		this.settings = settings;
		this.bean = null;
		this.method = null;
		this.payloadType = payloadType;
		this.handler = handler;
	}

	/**
	 * Create an endpoint that hands each payload, decoded as the given type, to a handler.
	 * @param <T> the payload type
	 * @param settings the listener's settings
	 * @param payloadType the type to decode payloads into
	 * @param handler the handler
	 * @return the endpoint
	 */
	public static <T> HareListenerEndpoint of(ListenerSettings settings, Class<T> payloadType,
			HareMessageHandler<T> handler) {
		return new HareListenerEndpoint(settings, payloadType, handler);
	}

	/**
	 * Return the listener's settings.
	 * @return the settings
	 */
	public ListenerSettings settings() {
		return this.settings;
	}

	/**
	 * Return the bean whose method handles the messages.
	 * @return the bean, or {@code null} for a {@link #handler() handler}
	 */
	public @Nullable Object bean() {
		return this.bean;
	}

	/**
	 * Return the method that handles the messages.
	 * @return the method, or {@code null} for a {@link #handler() handler}
	 */
	public @Nullable Method method() {
		return this.method;
	}

	/**
	 * Return the type payloads are decoded into for the {@link #handler() handler}.
	 * @return the payload type, or {@code null} for a bean method
	 */
	public @Nullable Class<?> payloadType() {
		return this.payloadType;
	}

	/**
	 * Return the handler.
	 * @return the handler, or {@code null} for a bean method
	 */
	public @Nullable HareMessageHandler<?> handler() {
		return this.handler;
	}

	/**
	 * Return the listener id.
	 * @return the id
	 */
	public String id() {
		return this.settings.id();
	}

	/**
	 * Return the handler, as {@code Class.method} or a description of the handler, for messages.
	 * @return the handler description
	 */
	public String handlerDescription() {
		if (this.method != null) {
			return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
		}
		return "handler of " + this.payloadType.getSimpleName();
	}

	@Override
	public String toString() {
		return "HareListenerEndpoint[id=" + id() + ", handler=" + handlerDescription() + "]";
	}

}
