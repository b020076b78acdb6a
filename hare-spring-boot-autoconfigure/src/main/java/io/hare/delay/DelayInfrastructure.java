package io.hare.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.support.TimeScale;
import io.hare.topology.TopologyDeclarer;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.util.Assert;

/**
 * The delay levels on one connection: declares them once, through the connection's
 * {@link RabbitAdmin}, which declares them again after every reconnect, binds destination
 * queues, and prepares messages to publish into them.
 */
public class DelayInfrastructure implements ConnectionListener {

	private static final Log logger = LogFactory.getLog(DelayInfrastructure.class);

	private static final String SETTINGS = "hare.delay.prefix";

	private final String connectionName;

	private final DelayTopology topology;

	private final TopologyDeclarer declarer;

	private final DelayQueueMigration migration;

	private final Clock clock;

	private final Set<String> boundQueues = ConcurrentHashMap.newKeySet();

	private final ReentrantLock lock = new ReentrantLock();

	private volatile boolean declared;

	private TimeScale timeScale = TimeScale.NONE;

	/**
	 * Create the delay levels of a connection; nothing is declared yet.
	 * @param connectionName the connection's name, for messages
	 * @param topology the names and declarations
	 * @param admin the connection's admin, with manual redeclaration on
	 * @param ignoreConflicts whether to log a declaration the broker refuses and go on
	 * @param clock the clock due times are computed with
	 */
	public DelayInfrastructure(String connectionName, DelayTopology topology, RabbitAdmin admin,
			boolean ignoreConflicts, Clock clock) {
		Assert.hasText(connectionName, "'connectionName' must not be empty");
		Assert.notNull(topology, "'topology' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.connectionName = connectionName;
		this.topology = topology;
		this.declarer = new TopologyDeclarer(admin, ignoreConflicts);
		this.migration = new DelayQueueMigration(topology, admin);
		this.clock = clock;
	}

	/**
	 * Scale every delay, for tests ({@code hare.test.time-scale}), before it is rounded up to
	 * whole seconds: every delayed message and exponential retry enters the levels here.
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
	 * Whether the levels were declared on this connection.
	 * @return whether they were declared
	 */
	public boolean isDeclared() {
		return this.declared;
	}

	/**
	 * Declare the levels unless they were declared already; afterwards the admin declares
	 * them again on every new connection.
	 * @throws io.hare.topology.HareDeclarationException if the broker refuses a declaration
	 * @throws AmqpException if the broker cannot be reached
	 */
	public void declare() {
		if (this.declared) {
			return;
		}
		this.lock.lock();
		try {
			if (!this.declared) {
				doDeclare();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Declare the levels and every bound queue's binding again, for when a part was deleted
	 * while the connection stayed open.
	 */
	public void redeclare() {
		this.lock.lock();
		try {
			doDeclare();
			List<String> queues = List.copyOf(this.boundQueues);
			queues.forEach(this::declareBinding);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void doDeclare() {
		this.declarer.declare(owner(), SETTINGS, this.topology.declarables());
		if (!this.declared) {
			logger.info("Declared Hare's delay levels '" + this.topology.getPrefix() + ".*' on connection '"
					+ this.connectionName + "'");
		}
		this.declared = true;
		// After the quorum queues are bound, never before: a message must always have a queue.
		this.migration.migrate(this.connectionName);
	}

	/**
	 * Bind a queue to the delivery exchange, once, so that delayed messages can reach it.
	 * @param queue the queue, which must exist
	 */
	public void bindQueue(String queue) {
		declare();
		if (!this.boundQueues.contains(queue)) {
			declareBinding(queue);
			this.boundQueues.add(queue);
		}
	}

	private void declareBinding(String queue) {
		this.declarer.declare(owner(), SETTINGS, new Declarables(this.topology.deliveryBinding(queue)));
	}

	/**
	 * Prepare a message to reach a queue after a delay; the queue is bound first if needed.
	 * @param queue the destination queue
	 * @param message the message, left unchanged
	 * @param delay the delay, rounded up to whole seconds
	 * @return the message to publish
	 */
	public DelayedMessage toQueue(String queue, Message message, Duration delay) {
		bindQueue(queue);
		return DelayedMessage.toQueue(this.topology, queue, message, this.timeScale.scale(delay), this.clock);
	}

	/**
	 * Prepare a message to be published to an exchange after a delay.
	 * @param exchange the destination exchange, {@code ""} for the default exchange
	 * @param routingKey the routing key to publish with
	 * @param message the message, left unchanged
	 * @param delay the delay, rounded up to whole seconds
	 * @return the message to publish
	 */
	public DelayedMessage toExchange(String exchange, String routingKey, Message message, Duration delay) {
		declare();
		return DelayedMessage.toExchange(this.topology, exchange, routingKey, message, this.timeScale.scale(delay),
				this.clock);
	}

	/**
	 * Prepare a message to be published to an exchange at a given time; a time in the past
	 * means now.
	 * @param exchange the destination exchange, {@code ""} for the default exchange
	 * @param routingKey the routing key to publish with
	 * @param message the message, left unchanged
	 * @param due when to publish it, rounded up to the next whole second after now
	 * @return the message to publish
	 */
	public DelayedMessage toExchangeAt(String exchange, String routingKey, Message message, Instant due) {
		return toExchange(exchange, routingKey, message, Duration.between(this.clock.instant(), due));
	}

	/**
	 * Declare the levels when the connection opens, if that could not be done before, such as
	 * at start-up with the broker down.
	 */
	@Override
	public void onCreate(Connection connection) {
		// Never wait here: the connection factory holds its lock while it calls listeners, and a
		// thread that declares may be waiting for that lock.
		if (this.declared || !this.lock.tryLock()) {
			return;
		}
		try {
			if (!this.declared) {
				doDeclare();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not declare Hare's delay levels on connection '" + this.connectionName + "': "
					+ ex.getMessage());
		}
		finally {
			this.lock.unlock();
		}
	}

	private String owner() {
		return "Hare's delay levels on connection '" + this.connectionName + "'";
	}

	@Override
	public String toString() {
		return "DelayInfrastructure '" + this.topology.getPrefix() + "' on connection '" + this.connectionName + "'";
	}

}
