package io.hare.publish;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.dedup.DedupStore;
import io.hare.delay.HareDelays;
import io.hare.topology.HareDeclarationException;

import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Every {@link HarePublisher} of the application, by name, and the place to build more. Its
 * publishers declare their exchanges when it starts, before listeners start, and it stops after
 * them, so a listener can publish until it stopped.
 */
public class HarePublishers implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(HarePublishers.class);

	private final HareConnections connections;

	private final HareMessageConverter messageConverter;

	private final Map<String, DefaultHarePublisher> publishers = new LinkedHashMap<>();

	private @Nullable DedupStore dedupStore;

	private Duration confirmTimeout = HarePublisherBuilder.DEFAULT_CONFIRM_TIMEOUT;

	private String exchangeType = ExchangeTypes.DIRECT;

	private boolean dedupFailOpen;

	private boolean ignoreDeclarationConflicts;

	private @Nullable HareDelays delays;

	private String namePrefix = "";

	private @Nullable PublishOutbox outbox;

	private volatile boolean running;

	private List<HarePublishObserver> observers = List.of();

	/**
	 * Create the registry.
	 * @param connections the connections publishers may use
	 * @param messageConverter the converter that encodes payloads
	 */
	public HarePublishers(HareConnections connections, HareMessageConverter messageConverter) {
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		this.connections = connections;
		this.messageConverter = messageConverter;
	}

	/**
	 * Set the store every builder deduplicates with unless told otherwise.
	 * @param dedupStore the store
	 */
	public void setDedupStore(@Nullable DedupStore dedupStore) {
		this.dedupStore = dedupStore;
	}

	/**
	 * Set the confirm timeout every builder starts with.
	 * @param confirmTimeout the confirm timeout
	 */
	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Set the exchange type every builder starts with.
	 * @param exchangeType the exchange type
	 */
	public void setExchangeType(String exchangeType) {
		this.exchangeType = exchangeType;
	}

	/**
	 * Set whether every builder starts publishing without deduplication when the store is
	 * unavailable.
	 * @param dedupFailOpen whether to publish anyway
	 */
	public void setDedupFailOpen(boolean dedupFailOpen) {
		this.dedupFailOpen = dedupFailOpen;
	}

	/**
	 * Set whether a publisher whose exchange the broker refuses to declare is logged instead of
	 * failing the start.
	 * @param ignoreDeclarationConflicts whether to ignore declaration conflicts
	 */
	public void setIgnoreDeclarationConflicts(boolean ignoreDeclarationConflicts) {
		this.ignoreDeclarationConflicts = ignoreDeclarationConflicts;
	}

	/**
	 * Set the delay levels that delayed messages of the publishers built here wait in.
	 * @param delays the delay levels of every connection, or {@code null} if they are off
	 */
	public void setDelays(@Nullable HareDelays delays) {
		this.delays = delays;
	}

	/**
	 * Prefix the exchange of every publisher built here, or its routing key when it publishes
	 * to a queue through the default exchange, for tests ({@code hare.test.name-prefix}).
	 * @param namePrefix the prefix, empty for none
	 */
	public void setNamePrefix(String namePrefix) {
		Assert.notNull(namePrefix, "'namePrefix' must not be null");
		this.namePrefix = namePrefix;
	}

	/**
	 * Set the transactional outbox that the publishers built here write to inside a database
	 * transaction.
	 * @param outbox the outbox, or {@code null} if it is off
	 */
	public void setOutbox(@Nullable PublishOutbox outbox) {
		this.outbox = outbox;
	}

	/**
	 * Return a builder with this application's connections, converter, dedup store and
	 * defaults; the publisher it builds is registered here under its name.
	 * @param name the publisher's name, unique
	 * @return the builder
	 */
	public HarePublisherBuilder builder(String name) {
		HarePublisherBuilder builder = new HarePublisherBuilder(name, this.connections, this.messageConverter)
			.registry(this)
			.exchangeType(this.exchangeType)
			.confirmTimeout(this.confirmTimeout)
			.dedupFailOpen(this.dedupFailOpen)
			.delays(this.delays)
			.namePrefix(this.namePrefix)
			.outbox(this.outbox);
		if (this.dedupStore != null) {
			builder.dedupStore(this.dedupStore);
		}
		return builder;
	}

	/**
	 * Set the observers told what becomes of every message of every publisher registered here.
	 * @param observers the observers, in order
	 */
	public void setObservers(List<HarePublishObserver> observers) {
		Assert.notNull(observers, "'observers' must not be null");
		this.observers = List.copyOf(observers);
	}

	synchronized void register(DefaultHarePublisher publisher) {
		publisher.setObservers(this.observers);
		DefaultHarePublisher existing = this.publishers.putIfAbsent(publisher.getName(), publisher);
		Assert.state(existing == null, () -> "Two Hare publishers are named '" + publisher.getName() + "'");
		if (this.running) {
			start(publisher);
		}
	}

	private void start(DefaultHarePublisher publisher) {
		try {
			publisher.start();
		}
		catch (HareDeclarationException ex) {
			if (!this.ignoreDeclarationConflicts) {
				throw ex;
			}
			logger.warn(ex.getMessage() + "; starting anyway as hare.topology.ignore-declaration-conflicts is set");
		}
	}

	/**
	 * Return the publisher of the given name.
	 * @param name the name
	 * @return the publisher
	 * @throws IllegalArgumentException if no publisher has that name
	 */
	public synchronized HarePublisher get(String name) {
		HarePublisher publisher = this.publishers.get(name);
		if (publisher == null) {
			throw new IllegalArgumentException("No Hare publisher is named '" + name + "'; known: "
					+ this.publishers.keySet() + " (configure it under hare.publishers." + name + ")");
		}
		return publisher;
	}

	/**
	 * Return the publisher of the given name, if there is one.
	 * @param name the name
	 * @return the publisher
	 */
	public synchronized Optional<HarePublisher> find(String name) {
		return Optional.ofNullable(this.publishers.get(name));
	}

	/**
	 * Return every publisher, in registration order.
	 * @return the publishers
	 */
	public synchronized Collection<HarePublisher> getPublishers() {
		return List.copyOf(this.publishers.values());
	}

	@Override
	public synchronized void start() {
		this.publishers.values().forEach(this::start);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
	}

	@Override
	public synchronized void destroy() {
		this.publishers.values().forEach(DefaultHarePublisher::destroy);
	}

}
