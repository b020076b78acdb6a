package io.hare.topology;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.support.ChannelCloses;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AbstractDeclarable;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.util.Assert;

/**
 * Declares a listener's topology through a {@link RabbitAdmin} that remembers it, so that it is
 * declared again on every new connection, and turns a refusal into a message that names what
 * differs.
 */
public class TopologyDeclarer {

	private static final Log logger = LogFactory.getLog(TopologyDeclarer.class);

	private final RabbitAdmin admin;

	private final boolean ignoreConflicts;

	/**
	 * Create a declarer.
	 * @param admin an admin with {@link RabbitAdmin#setRedeclareManualDeclarations(boolean)
	 * manual redeclaration} on
	 * @param ignoreConflicts whether to log a declaration the broker refuses and go on instead
	 * of failing
	 */
	public TopologyDeclarer(RabbitAdmin admin, boolean ignoreConflicts) {
		Assert.notNull(admin, "'admin' must not be null");
		Assert.isTrue(admin.isRedeclareManualDeclarations(), "'admin' must redeclare manual declarations");
		this.admin = admin;
		this.ignoreConflicts = ignoreConflicts;
	}

	/**
	 * Declare the topology of a listener.
	 * @param listenerId the listener, for messages
	 * @param topology the topology to declare
	 * @throws HareDeclarationException if the broker refuses a declaration and conflicts are
	 * not ignored
	 * @throws AmqpException if the broker cannot be reached
	 */
	public void declare(String listenerId, ListenerTopology topology) {
		declare("Hare listener '" + listenerId + "'", "the listener's settings", topology.declarables());
		logger.debug("Declared topology of Hare listener '" + listenerId + "' on queue '" + topology.queue() + "'");
	}

	/**
	 * Declare exchanges, queues and bindings in order.
	 * @param owner what declares them, for messages, such as {@code Hare listener 'orders'}
	 * @param settings what a user may change to match an existing declaration, for messages
	 * @param declarables what to declare
	 * @throws HareDeclarationException if the broker refuses a declaration and conflicts are
	 * not ignored
	 * @throws AmqpException if the broker cannot be reached
	 */
	public void declare(String owner, String settings, Declarables declarables) {
		for (Declarable declarable : declarables.getDeclarables()) {
			((AbstractDeclarable) declarable).setIgnoreDeclarationExceptions(this.ignoreConflicts);
			try {
				declareOne(declarable);
			}
			catch (AmqpException ex) {
				// Only a refusal by the broker is a conflict; a broker out of reach is not.
				// The broker's reply text names the queue and the argument that differs.
				String reason = ChannelCloses.replyText(ex).orElseThrow(() -> ex);
				throw new HareDeclarationException(owner + " could not declare " + describe(declarable) + ": "
						+ reason + ". Delete or migrate the existing one, change " + settings + " to match it, "
						+ "or set hare.topology.ignore-declaration-conflicts=true to start anyway", ex);
			}
		}
	}

	private void declareOne(Declarable declarable) {
		if (declarable instanceof Queue queue) {
			this.admin.declareQueue(queue);
		}
		else if (declarable instanceof Exchange exchange) {
			this.admin.declareExchange(exchange);
		}
		else if (declarable instanceof Binding binding) {
			this.admin.declareBinding(binding);
		}
	}

	private static String describe(Declarable declarable) {
		if (declarable instanceof Queue queue) {
			return "queue '" + queue.getName() + "'";
		}
		if (declarable instanceof Exchange exchange) {
			return "exchange '" + exchange.getName() + "'";
		}
		Binding binding = (Binding) declarable;
		String destination = binding.isDestinationQueue() ? "queue" : "exchange";
		return "binding of " + destination + " '" + binding.getDestination() + "' to exchange '" + binding.getExchange()
				+ "'";
	}

}
