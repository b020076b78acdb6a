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

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Holds every Hare listener and starts and stops them with the application context; code
 * can also pause, resume and resize listeners through it while the application runs.
 */
public class HareListenerRegistry implements SmartLifecycle, DisposableBean, ApplicationEventPublisherAware {

	private static final Log logger = LogFactory.getLog(HareListenerRegistry.class);

	private final HareListenerContainerFactory containerFactory;

	private final Map<String, HareListenerContainer> listeners = new LinkedHashMap<>();

	private final Map<String, String> handlers = new LinkedHashMap<>();

	private volatile boolean running;

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
			listener.start();
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
	public synchronized void start() {
		this.listeners.values().stream().filter((listener) -> !listener.isPaused()).forEach(HareListenerContainer::start);
		this.running = true;
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

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set the number of consumers of a listener; consumers that are stopped finish the
	 * messages they hold first.
	 * @param id the listener id
	 * @param consumers the number of consumers, at least 1
	 * @throws IllegalArgumentException if there is no such listener or the count is below 1
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
