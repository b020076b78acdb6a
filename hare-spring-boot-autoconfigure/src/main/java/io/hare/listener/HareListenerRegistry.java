package io.hare.listener;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.event.HareListenerScaledEvent;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Holds every Hare listener and starts and stops them with the application context; code
 * can also register, remove, pause, resume and resize listeners through it while the
 * application runs.
 */
public class HareListenerRegistry implements SmartLifecycle, DisposableBean, ApplicationEventPublisherAware {

	private static final Log logger = LogFactory.getLog(HareListenerRegistry.class);

	private final HareListenerContainerFactory containerFactory;

	private final Map<String, HareListenerContainer> listeners = new LinkedHashMap<>();

	private final Map<String, String> handlers = new LinkedHashMap<>();

	private volatile boolean running;

	private @Nullable ListenerSettingsResolver settingsResolver;

	private @Nullable ApplicationEventPublisher eventPublisher;

	public HareListenerRegistry(HareListenerContainerFactory containerFactory) {
		Assert.notNull(containerFactory, "'containerFactory' must not be null");
		this.containerFactory = containerFactory;
	}

	/**
	 * Add a listener; it starts at once if the registry is running.
	 * @param endpoint the listener's settings and handler
	 * @return the listener
	 * @throws IllegalStateException if a listener with the same id exists
	 */
	public synchronized HareListenerContainer register(HareListenerEndpoint endpoint) {
		String existing = this.handlers.get(endpoint.id());
		Assert.state(existing == null, () -> "Two Hare listeners have the id '" + endpoint.id() + "': " + existing
				+ " and " + endpoint.handlerDescription() + "; give one another id");
		HareListenerContainer listener = this.containerFactory.create(endpoint);
		this.listeners.put(endpoint.id(), listener);
		this.handlers.put(endpoint.id(), endpoint.handlerDescription());
		if (this.running) {
			try {
				listener.start();
			}
			catch (RuntimeException ex) {
				// A listener that could not start is forgotten, so that it can be registered again.
				this.listeners.remove(endpoint.id());
				this.handlers.remove(endpoint.id());
				listener.destroy();
				throw ex;
			}
		}
		return listener;
	}

	/**
	 * Return the listener with the given id.
	 * @param id the listener id
	 * @return the listener, if any
	 */
	public synchronized Optional<HareListenerContainer> getListener(String id) {
		return Optional.ofNullable(this.listeners.get(id));
	}

	/**
	 * Return every listener, in registration order.
	 * @return the listeners
	 */
	public synchronized Collection<HareListenerContainer> getListeners() {
		return List.copyOf(this.listeners.values());
	}

	@Override
	public void start() {
		List<HareListenerContainer> toStart = startable();
		// Outside the lock: the starting threads publish the containers' events, whose
		// listeners read the registry.
		ListenerStarter.startAll(toStart);
		synchronized (this) {
			this.running = true;
			// Those registered while the others started.
			startable().stream().filter((listener) -> !toStart.contains(listener)).forEach(HareListenerContainer::start);
		}
	}

	private synchronized List<HareListenerContainer> startable() {
		return this.listeners.values().stream().filter((listener) -> !listener.isPaused()).toList();
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		List<HareListenerContainer> toStop;
		synchronized (this) {
			this.running = false;
			toStop = new ArrayList<>(this.listeners.values());
		}
		if (toStop.isEmpty()) {
			callback.run();
			return;
		}
		// Containers stop in parallel, each finishing its in-flight messages.
		AtomicInteger remaining = new AtomicInteger(toStop.size());
		toStop.forEach((listener) -> listener.stop(() -> {
			if (remaining.decrementAndGet() == 0) {
				callback.run();
			}
		}));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE;
	}

	@Override
	public synchronized void destroy() {
		this.listeners.values().forEach(HareListenerContainer::destroy);
	}

	/**
	 * Set the resolver of the settings of listeners registered through
	 * {@link #register(String, ListenerProperties, Class, HareMessageHandler)}, so that they get
	 * {@code hare.listeners.<id>.*}, {@code hare.defaults.*} and the customizers as annotated
	 * ones do.
	 * @param settingsResolver the resolver
	 */
	public void setSettingsResolver(ListenerSettingsResolver settingsResolver) {
		this.settingsResolver = settingsResolver;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Add a listener whose messages a handler takes, decoded as the given type; it starts at
	 * once if the registry is running. The settings are resolved as those of a
	 * {@link HareListener @HareListener} are ({@code hare.listeners.<id>.*} and customizers
	 * win over them, {@code hare.defaults.*} fills what they leave unset), then validated.
	 * @param <T> the payload type
	 * @param id the listener id
	 * @param properties the settings; at least the queue name
	 * @param payloadType the type to decode payloads into
	 * @param handler the handler
	 * @return the listener
	 * @throws IllegalStateException if a listener with the same id exists or a setting is
	 * invalid
	 * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
	 * if a property is invalid
	 */
	public <T> HareListenerContainer register(String id, ListenerProperties properties, Class<T> payloadType,
			HareMessageHandler<T> handler) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.notNull(properties, "'properties' must not be null");
		Assert.state(this.settingsResolver != null, "No ListenerSettingsResolver: is Hare auto-configured?");
		ListenerSettings settings = this.settingsResolver.resolve(id, properties,
				(path) -> "HareListenerRegistry.register(\"" + id + "\", ...) (" + path + ")");
		return register(HareListenerEndpoint.of(settings, payloadType, handler));
	}

	/**
	 * Stop a listener and forget it. Its consumers finish the messages they hold and leave
	 * the broker; its queues and their messages stay.
	 * @param id the listener id
	 * @return whether there was such a listener
	 */
	public boolean remove(String id) {
		HareListenerContainer listener;
		synchronized (this) {
			listener = this.listeners.remove(id);
			this.handlers.remove(id);
		}
		if (listener == null) {
			return false;
		}
		// Outside the lock: stopping waits for in-flight messages.
		listener.destroy();
		logger.info("Hare listener '" + id + "' removed; queue '" + listener.getTopology().queue() + "' stays");
		return true;
	}

	/**
	 * Set the number of consumers of a listener that is not auto-scaled; consumers that are
	 * stopped finish the messages they hold first.
	 * @param id the listener id
	 * @param consumers the number of consumers, at least 1
	 * @throws IllegalArgumentException if there is no such listener or the count is below 1
	 * @throws IllegalStateException if the listener is auto-scaled or reads a stream
	 */
	public void setConsumers(String id, int consumers) {
		HareListenerContainer listener = requireListener(id);
		int previous = listener.setConsumers(consumers);
		if (previous != consumers) {
			logger.info("Hare listener '" + id + "' set from " + previous + " to " + consumers + " consumer(s)");
			publish(new HareListenerScaledEvent(this, id, listener.getTopology().queue(), previous, consumers, null));
		}
	}

	/**
	 * Stop a listener's consumers, letting in-flight messages finish; its queue keeps the
	 * rest until {@link #resume(String)}.
	 * @param id the listener id
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public void pause(String id) {
		requireListener(id).pause();
	}

	/**
	 * Start the consumers of a paused listener again.
	 * @param id the listener id
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public void resume(String id) {
		HareListenerContainer listener = requireListener(id);
		listener.resume(this.running);
	}

	/**
	 * Close a listener's circuit breaker, so that it consumes again at once.
	 * @param id the listener id
	 * @throws IllegalArgumentException if there is no such listener
	 * @throws IllegalStateException if the listener has no circuit breaker
	 */
	public void resetCircuitBreaker(String id) {
		requireListener(id).resetCircuitBreaker();
	}

	/**
	 * Make a stream listener read from the given offset on, whatever offset it stored on the
	 * broker, and store from there.
	 * @param id the listener id
	 * @param offset where to read from, such as {@link StreamOffset#FIRST}
	 * @throws IllegalArgumentException if there is no such listener
	 * @throws IllegalStateException if the listener does not read a stream over the stream
	 * protocol
	 */
	public void resetStreamOffset(String id, StreamOffset offset) {
		requireListener(id).resetStreamOffset(offset);
	}

	private synchronized HareListenerContainer requireListener(String id) {
		HareListenerContainer listener = this.listeners.get(id);
		if (listener == null) {
			throw new IllegalArgumentException(
					"No Hare listener has the id '" + id + "'; known: " + this.listeners.keySet());
		}
		return listener;
	}

	private void publish(Object event) {
		if (this.eventPublisher != null) {
			this.eventPublisher.publishEvent(event);
		}
	}

}
