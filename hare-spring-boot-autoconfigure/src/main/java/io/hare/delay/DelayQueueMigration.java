package io.hare.delay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.support.OwnChannel;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.util.Assert;

/**
 * Retires the classic queues of the delay levels of an earlier Hare (the levels, the ready
 * queue and the unrouted queue) once their quorum replacements are declared and bound, without
 * losing a message they hold.
 * <p>
 * For each classic queue that still exists: its binding is removed, so that new messages reach
 * only the quorum queue (bound before, so that no message routes to neither; one routed between
 * the two steps waits in both and arrives twice). A classic level keeps its TTL and
 * dead-letters, as before, to the exchange of the level below, whose quorum queue takes its
 * messages on: it drains by itself within {@code 2^L} seconds. The classic ready and unrouted
 * queues would never drain, so their messages are moved to the quorum queue, each acked only
 * once the broker confirmed its copy (at least once). A classic queue is deleted only when
 * empty and not consumed, by the broker's atomic {@code if-empty} and {@code if-unused} delete,
 * on this or a later start-up.
 */
final class DelayQueueMigration {

	private static final Log logger = LogFactory.getLog(DelayQueueMigration.class);

	/**
	 * How many messages a move takes before it waits for the broker's confirms.
	 */
	private static final int MOVE_BATCH = 100;

	private static final long CONFIRM_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(30);

	private final DelayTopology topology;

	private final RabbitAdmin admin;

	DelayQueueMigration(DelayTopology topology, RabbitAdmin admin) {
		Assert.notNull(topology, "'topology' must not be null");
		Assert.notNull(admin, "'admin' must not be null");
		this.topology = topology;
		this.admin = admin;
	}

	/**
	 * Unbind every classic queue, move the messages of the classic ready and unrouted queues and
	 * delete the empty ones; the quorum queues must be declared and bound already. Logs one line
	 * when there was anything to do.
	 * @param connectionName the connection's name, for messages
	 * @return the classic queues left, still holding messages
	 */
	List<String> migrate(String connectionName) {
		List<String> deleted = new ArrayList<>();
		List<String> left = new ArrayList<>();
		long moved = 0;
		for (Retired retired : retired()) {
			try {
				QueueInformation information = this.admin.getQueueInfo(retired.queue());
				if (information == null) {
					continue;
				}
				this.admin.removeBinding(retired.binding());
				if (retired.movedTo() != null && information.getMessageCount() > 0) {
					moved += move(retired.queue(), retired.movedTo());
				}
				if (deleteIfEmpty(retired.queue())) {
					deleted.add(retired.queue());
					continue;
				}
			}
			catch (AmqpException ex) {
				// Not a reason to stop: the quorum queues work, and a later start tries again.
				logger.debug("Could not retire classic delay queue '" + retired.queue() + "'", ex);
			}
			left.add(retired.queue());
		}
		if (!deleted.isEmpty() || !left.isEmpty()) {
			logger.info("Hare's delay queues on connection '" + connectionName + "' are quorum queues now: deleted "
					+ deleted.size() + " empty classic queues after moving " + moved + " message(s) from the classic "
					+ "ready and unrouted queues; " + left.size() + " still hold messages, unbound, to be deleted on a "
					+ "later start (levels drain into the quorum levels as their messages expire)"
					+ (left.isEmpty() ? "" : ": " + left));
		}
		return left;
	}

	private List<Retired> retired() {
		List<Retired> retired = new ArrayList<>();
		for (int level = 0; level < DelayTopology.LEVELS; level++) {
			String classic = this.topology.classicLevelQueue(level);
			retired.add(new Retired(classic, this.topology.levelBinding(level, classic), null));
		}
		String ready = this.topology.classicReadyQueue();
		retired.add(new Retired(ready, this.topology.readyBinding(ready), this.topology.readyQueue()));
		String unrouted = this.topology.classicUnroutedQueue();
		retired.add(new Retired(unrouted, this.topology.unroutedBinding(unrouted), this.topology.unroutedQueue()));
		return retired;
	}

	/**
	 * Move every message of a queue to another through the default exchange, in batches whose
	 * originals are acked once the broker confirmed all their copies. A copy the broker returns
	 * (the target is missing) or does not confirm leaves its batch in the source queue: closing
	 * the channel returns what it did not ack.
	 */
	private long move(String from, String to) {
		return OwnChannel.execute(this.admin.getRabbitTemplate().getConnectionFactory(), (channel) -> {
			AtomicBoolean returned = new AtomicBoolean();
			channel.addReturnListener((message) -> returned.set(true));
			channel.confirmSelect();
			long moved = 0;
			int batch;
			while ((batch = moveBatch(channel, from, to, returned)) > 0) {
				moved += batch;
			}
			return moved;
		});
	}

	private int moveBatch(Channel channel, String from, String to, AtomicBoolean returned)
			throws IOException, InterruptedException, TimeoutException {
		long lastTag = -1;
		int count = 0;
		GetResponse response;
		while (count < MOVE_BATCH && (response = channel.basicGet(from, false)) != null) {
			channel.basicPublish("", to, true, response.getProps(), response.getBody());
			lastTag = response.getEnvelope().getDeliveryTag();
			count++;
		}
		if (count == 0) {
			return 0;
		}
		// A return comes before the confirm of its message: once all are confirmed, it is known.
		channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
		if (returned.get()) {
			throw new AmqpException("Queue '" + to + "' returned a message moved from '" + from + "'");
		}
		channel.basicAck(lastTag, true);
		return count;
	}

	private boolean deleteIfEmpty(String queue) {
		try {
			// if-empty: the broker refuses to delete a queue a message reached since it was counted;
			// if-unused: or one an earlier Hare's forwarder still consumes (in a rolling upgrade),
			// which would take the messages it holds unacked with it.
			this.admin.deleteQueue(queue, true, true);
			return true;
		}
		catch (AmqpException ex) {
			return false;
		}
	}

	/**
	 * A classic queue of an earlier Hare.
	 *
	 * @param queue its name
	 * @param binding its binding, removed first
	 * @param movedTo the quorum queue its messages are moved to, or {@code null} for a level,
	 * which drains by itself
	 */
	private record Retired(String queue, Binding binding, @Nullable String movedTo) {
	}

}
