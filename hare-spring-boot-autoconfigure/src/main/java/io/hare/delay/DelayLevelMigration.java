package io.hare.delay;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.util.Assert;

/**
 * Retires the classic level queues of an earlier Hare once the quorum levels are declared,
 * without losing a message they hold.
 * <p>
 * For each level whose classic queue {@code <prefix>.level.<LL>} still exists: its binding to
 * the level's exchange is removed, so that new messages reach only the quorum queue
 * {@code <prefix>.level.<LL>.quorum} (bound before, so that no message routes to neither; one
 * routed between the two steps waits in both and arrives twice). The messages it holds keep
 * their TTL and dead-letter, as before, to the exchange of the level below, whose quorum queue
 * takes them on: it drains by itself within {@code 2^L} seconds. It is deleted only when empty,
 * by the broker's atomic {@code if-empty} delete, on this or a later start-up.
 */
final class DelayLevelMigration {

	private static final Log logger = LogFactory.getLog(DelayLevelMigration.class);

	private final DelayTopology topology;

	private final RabbitAdmin admin;

	DelayLevelMigration(DelayTopology topology, RabbitAdmin admin) {
		Assert.notNull(topology, "'topology' must not be null");
		Assert.notNull(admin, "'admin' must not be null");
		this.topology = topology;
		this.admin = admin;
	}

	/**
	 * Unbind every classic level queue and delete the empty ones; the quorum levels must be
	 * declared and bound already. Logs one line when there was anything to do.
	 * @param connectionName the connection's name, for messages
	 * @return the classic level queues left, still draining
	 */
	List<String> migrate(String connectionName) {
		List<String> deleted = new ArrayList<>();
		List<String> draining = new ArrayList<>();
		for (int level = 0; level < DelayTopology.LEVELS; level++) {
			String classic = this.topology.classicLevelQueue(level);
			try {
				QueueInformation information = this.admin.getQueueInfo(classic);
				if (information == null) {
					continue;
				}
				this.admin.removeBinding(this.topology.levelBinding(level, classic));
				if (information.getMessageCount() == 0 && deleteIfEmpty(classic)) {
					deleted.add(classic);
					continue;
				}
			}
			catch (AmqpException ex) {
				// Not a reason to stop: the quorum levels work, and a later start tries again.
				logger.debug("Could not retire classic delay level queue '" + classic + "'", ex);
			}
			draining.add(classic);
		}
		if (!deleted.isEmpty() || !draining.isEmpty()) {
			logger.info("Hare's delay levels on connection '" + connectionName + "' are quorum queues now: deleted "
					+ deleted.size() + " empty classic level queues; " + draining.size() + " still hold messages, "
					+ "unbound, draining into the quorum levels as they expire, to be deleted on a later start"
					+ (draining.isEmpty() ? "" : ": " + draining));
		}
		return draining;
	}

	private boolean deleteIfEmpty(String queue) {
		try {
			// if-empty: the broker refuses to delete a queue a message reached since it was counted.
			this.admin.deleteQueue(queue, false, true);
			return true;
		}
		catch (AmqpException ex) {
			return false;
		}
	}

}
