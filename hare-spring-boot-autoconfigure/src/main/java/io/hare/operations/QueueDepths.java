package io.hare.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.listener.HareListenerContainer;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.util.Assert;

/**
 * Reads how many messages are ready in a listener's queues with a passive declare on the
 * listener's connection. Gauges and health checks, which are polled, reuse a read for a while
 * so that scraping does not load the broker; the endpoint reads afresh.
 */
public class QueueDepths {

	private static final Log logger = LogFactory.getLog(QueueDepths.class);

	private final HareConnections connections;

	private final Duration timeToLive;

	private final Clock clock;

	private final Map<String, Read> reads = new ConcurrentHashMap<>();

	/**
	 * Create a reader.
	 * @param connections the connections listeners consume on
	 * @param timeToLive how long a read is reused by {@link #cached}
	 */
	public QueueDepths(HareConnections connections, Duration timeToLive) {
		this(connections, timeToLive, Clock.systemUTC());
	}

	QueueDepths(HareConnections connections, Duration timeToLive, Clock clock) {
		Assert.notNull(connections, "'connections' must not be null");
		Assert.isTrue(!timeToLive.isNegative(), "'timeToLive' must not be negative");
		this.connections = connections;
		this.timeToLive = timeToLive;
		this.clock = clock;
	}

	/**
	 * Read the depth of one of a listener's queues now.
	 * @param listener the listener
	 * @param queue its work queue or one of its retry or dead-letter queues
	 * @return the number of ready messages, or {@code null} if the queue does not exist or
	 * the broker cannot be reached
	 */
	public @Nullable Long read(HareListenerContainer listener, String queue) {
		HareConnection connection = this.connections.get(listener.getSettings().connection());
		Long depth;
		try {
			QueueInformation information = connection.getAdmin().getQueueInfo(queue);
			depth = (information != null) ? information.getMessageCount() : null;
		}
		catch (AmqpException ex) {
			logger.debug("Cannot read the depth of queue '" + queue + "' of Hare listener '" + listener.getId()
					+ "': " + ex.getMessage());
			depth = null;
		}
		this.reads.put(key(connection, queue), new Read(depth, this.clock.instant()));
		return depth;
	}

	/**
	 * Return the depth of a queue as last read, reading it again when that read is older than
	 * the time to live.
	 * @param listener the listener
	 * @param queue its work queue or one of its retry or dead-letter queues
	 * @return the number of ready messages, or {@code null} if unknown
	 */
	public @Nullable Long cached(HareListenerContainer listener, String queue) {
		HareConnection connection = this.connections.get(listener.getSettings().connection());
		Read read = this.reads.get(key(connection, queue));
		if (read != null && read.at().plus(this.timeToLive).isAfter(this.clock.instant())) {
			return read.depth();
		}
		return read(listener, queue);
	}

	private static String key(HareConnection connection, String queue) {
		return connection.getName() + "/" + queue;
	}

	private record Read(@Nullable Long depth, Instant at) {
	}

}
