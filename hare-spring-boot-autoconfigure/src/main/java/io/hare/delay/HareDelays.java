package io.hare.delay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.support.TimeScale;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The delay levels of every Hare connection: on start, declares them on each connection and
 * runs a {@link DelayForwarder} there, before the listeners start and until after they stopped.
 */
public class HareDelays implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(HareDelays.class);

	private final HareConnections connections;

	private final DelayTopology topology;

	private final Map<String, DelayInfrastructure> infrastructures = new ConcurrentHashMap<>();

	private final List<SimpleMessageListenerContainer> forwarders = new ArrayList<>();

	private boolean ignoreDeclarationConflicts;

	private Clock clock = Clock.systemUTC();

	private Duration confirmTimeout = Duration.ofSeconds(10);

	private boolean forwarderEnabled = true;

	private int forwarderConcurrency = 1;

	private @Nullable Integer forwarderPrefetch;

	private TimeScale timeScale = TimeScale.NONE;

	private volatile boolean running;

	public HareDelays(HareConnections connections, DelayTopology topology) {
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(topology, "'topology' must not be null");
		this.connections = connections;
		this.topology = topology;
	}

	/**
	 * Set whether a declaration the broker refuses is logged instead of failing the start.
	 * @param ignoreDeclarationConflicts whether to ignore declaration conflicts
	 */
	public void setIgnoreDeclarationConflicts(boolean ignoreDeclarationConflicts) {
		this.ignoreDeclarationConflicts = ignoreDeclarationConflicts;
	}

	/**
	 * Set the clock due times are computed with.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Set how long the forwarder waits for the broker's confirm of a forwarded message.
	 * @param confirmTimeout the confirm timeout
	 */
	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Set whether this application runs a forwarder on each connection.
	 * @param forwarderEnabled whether to run forwarders
	 */
	public void setForwarderEnabled(boolean forwarderEnabled) {
		this.forwarderEnabled = forwarderEnabled;
	}

	/**
	 * Set the number of consumers of each forwarder.
	 * @param forwarderConcurrency the concurrency
	 */
	public void setForwarderConcurrency(int forwarderConcurrency) {
		this.forwarderConcurrency = forwarderConcurrency;
	}

	/**
	 * Set the prefetch count of each forwarder consumer.
	 * @param forwarderPrefetch the prefetch count, or {@code null} for Spring AMQP's default
	 */
	public void setForwarderPrefetch(@Nullable Integer forwarderPrefetch) {
		this.forwarderPrefetch = forwarderPrefetch;
	}

	/**
	 * Set the factor every delay is scaled by, for tests.
	 * @param timeScale the time scale
	 */
	public void setTimeScale(TimeScale timeScale) {
		Assert.notNull(timeScale, "'timeScale' must not be null");
		this.timeScale = timeScale;
	}

	public DelayTopology getTopology() {
		return this.topology;
	}

	/**
	 * Return the delay levels of a connection, declared the first time they are used and
	 * whenever the connection opens until they are.
	 * @param connection the connection
	 * @return the delay levels
	 */
	public DelayInfrastructure get(HareConnection connection) {
		DelayInfrastructure existing = this.infrastructures.get(connection.getName());
		if (existing != null) {
			return existing;
		}
		DelayInfrastructure created = new DelayInfrastructure(connection.getName(), this.topology,
				connection.getAdmin(), this.ignoreDeclarationConflicts, this.clock);
		created.setTimeScale(this.timeScale);
		DelayInfrastructure infrastructure = this.infrastructures.putIfAbsent(connection.getName(), created);
		if (infrastructure != null) {
			return infrastructure;
		}
		connection.getConnectionFactory().addConnectionListener(created);
		return created;
	}

	/**
	 * Return the delay levels of a connection by name.
	 * @param connectionName the name, or {@code null} for the default connection
	 * @return the delay levels
	 */
	public DelayInfrastructure get(@Nullable String connectionName) {
		return get(this.connections.get(connectionName));
	}

	/**
	 * Create a sender that delays messages through the levels of a connection.
	 * @param connectionName the name, or {@code null} for the default connection
	 * @return the sender
	 */
	public HareDelayedSender sender(@Nullable String connectionName) {
		HareConnection connection = this.connections.get(connectionName);
		return new HareDelayedSender(get(connection), connection.getTemplate(), connection.getConfirmType(),
				this.confirmTimeout);
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		for (HareConnection connection : this.connections.asMap().values()) {
			DelayInfrastructure infrastructure = get(connection);
			try {
				infrastructure.declare();
			}
			catch (AmqpConnectException ex) {
				logger.warn("Hare cannot reach the broker of connection '" + connection.getName()
						+ "' yet; its delay levels will be declared when it connects: " + ex.getMessage());
			}
			if (this.forwarderEnabled) {
				startForwarder(connection);
			}
		}
		this.running = true;
	}

	private void startForwarder(HareConnection connection) {
		if (connection.getConfirmType() != ConfirmType.CORRELATED) {
			logger.warn("Hare's delay forwarder needs correlated publisher confirms and does not run on connection '"
					+ connection.getName() + "': delayed messages for exchanges wait in queue '"
					+ this.topology.readyQueue() + "'. Set spring.rabbitmq.publisher-confirm-type=correlated");
			return;
		}
		DelayForwarder forwarder = new DelayForwarder(connection.getName(), this.topology, connection.getTemplate(),
				this.confirmTimeout);
		SimpleMessageListenerContainer container = forwarder.createContainer(connection.getConnectionFactory(),
				connection.getAdmin(), this.forwarderConcurrency, this.forwarderPrefetch);
		container.start();
		this.forwarders.add(container);
		logger.info("Hare's delay forwarder consumes queue '" + this.topology.readyQueue() + "' on connection '"
				+ connection.getName() + "'");
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		List<SimpleMessageListenerContainer> toStop;
		synchronized (this) {
			this.running = false;
			toStop = List.copyOf(this.forwarders);
			this.forwarders.clear();
		}
		if (toStop.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger remaining = new AtomicInteger(toStop.size());
		toStop.forEach((container) -> container.stop(() -> {
			container.destroy();
			if (remaining.decrementAndGet() == 0) {
				callback.run();
			}
		}));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Start before the listeners, whose retries may go through the levels, and stop after
	 * them.
	 */
	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE - 1;
	}

	@Override
	public synchronized void destroy() {
		this.forwarders.forEach(SimpleMessageListenerContainer::destroy);
		this.forwarders.clear();
	}

}
