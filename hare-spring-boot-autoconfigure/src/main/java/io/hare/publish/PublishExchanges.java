package io.hare.publish;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.connection.HareConnection;
import io.hare.support.ChannelCloses;
import io.hare.support.ConfirmedSend;
import io.hare.support.CredentialMasker;
import io.hare.topology.HareDeclarationException;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.util.StringUtils;

/**
 * The exchanges a publisher sends to: it declares its own, durable, once, and checks any other
 * with a passive declare before the first send to it. A publish to a missing exchange closes
 * the channel, failing every other message in flight on it, so a new destination is checked
 * first.
 */
final class PublishExchanges {

	private static final Log logger = LogFactory.getLog(PublishExchanges.class);

	private final String publisherName;

	private final HareConnection connection;

	private final String exchange;

	private final String exchangeType;

	// Exchanges other than the publisher's that a passive declare found.
	private final Set<String> verified = ConcurrentHashMap.newKeySet();

	private volatile boolean declared;

	PublishExchanges(String publisherName, HareConnection connection, String exchange, String exchangeType,
			boolean declareExchange) {
		this.publisherName = publisherName;
		this.connection = connection;
		this.exchange = exchange;
		this.exchangeType = exchangeType;
		// The default exchange and the amq.* ones exist on every broker and cannot be declared.
		this.declared = !(declareExchange && StringUtils.hasText(exchange) && !exchange.startsWith("amq."));
	}

	/**
	 * Declare the publisher's exchange as it starts; a broker that cannot be reached is not
	 * fatal, the exchange is then declared before the first publish.
	 * @throws HareDeclarationException if the broker refuses the declaration
	 */
	void declareAtStart() {
		try {
			declareIfNecessary();
		}
		catch (AmqpException ex) {
			Optional<String> refusal = ChannelCloses.replyText(ex);
			if (refusal.isPresent()) {
				throw new HareDeclarationException("Hare publisher '" + this.publisherName
						+ "' could not declare exchange '" + this.exchange + "' (" + this.exchangeType + ", durable): "
						+ refusal.get()
						+ ". Delete or migrate the existing exchange, set the publisher's exchange-type to match it, "
						+ "set its declare-exchange=false, or set hare.topology.ignore-declaration-conflicts=true", ex);
			}
			logger.warn("Hare publisher '" + this.publisherName + "' could not declare exchange '" + this.exchange
					+ "' on " + this.connection + " yet; it will before the first publish: "
					+ CredentialMasker.mask(ex.getMessage()));
		}
	}

	/**
	 * Declare the publisher's exchange before a publish to it, unless done already. A refusal
	 * is logged and not tried again: the exchange may exist with other arguments, and sending
	 * tells whether it routes.
	 * @throws AmqpException if the broker cannot be reached
	 */
	void declareBeforePublish() {
		try {
			declareIfNecessary();
		}
		catch (AmqpException ex) {
			Optional<String> refusal = ChannelCloses.replyText(ex);
			if (refusal.isEmpty()) {
				throw ex;
			}
			logger.warn("Hare publisher '" + this.publisherName + "' could not declare exchange '" + this.exchange
					+ "'; publishing anyway: " + refusal.get());
			this.declared = true;
		}
	}

	private void declareIfNecessary() {
		if (this.declared) {
			return;
		}
		synchronized (this) {
			if (!this.declared) {
				this.connection.getAdmin()
					.declareExchange(new ExchangeBuilder(this.exchange, this.exchangeType).durable(true).build());
				this.declared = true;
				logger.debug("Hare publisher '" + this.publisherName + "' declared exchange '" + this.exchange + "'");
			}
		}
	}

	/**
	 * Whether the exchange can be published to without closing the channel: the default
	 * exchange, an {@code amq.*} one, the publisher's own, or one a passive declare found.
	 */
	boolean verified(String exchange) {
		if (exchange.isEmpty() || exchange.startsWith("amq.") || exchange.equals(this.exchange)
				|| this.verified.contains(exchange)) {
			return true;
		}
		try {
			if (ConfirmedSend.exchangeMissing(this.connection.getTemplate(), exchange)) {
				return false;
			}
			this.verified.add(exchange);
		}
		catch (RuntimeException ex) {
			// The broker cannot be asked now; the send tells.
		}
		return true;
	}

	/**
	 * Forget that an exchange exists: the broker said it does not, so the next publish to it
	 * checks again.
	 */
	void forget(String exchange) {
		this.verified.remove(exchange);
	}

}
