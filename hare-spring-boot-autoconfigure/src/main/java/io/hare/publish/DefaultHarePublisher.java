package io.hare.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.ShutdownSignalException;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.convert.HareMessageConverter;
import io.hare.dedup.DedupKeyException;
import io.hare.delay.DelayInfrastructure;
import io.hare.delay.DelayedMessage;
import io.hare.delay.HareDelays;
import io.hare.publish.ConfirmChannel.Outcome;
import io.hare.publish.HarePublishException.Reason;
import io.hare.support.ChannelCloses;
import io.hare.support.ConfirmedSend;
import io.hare.support.CredentialMasker;
import io.hare.topology.HareDeclarationException;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageSenderContext;
import org.springframework.amqp.rabbit.support.micrometer.RabbitTemplateObservation;
import org.springframework.amqp.rabbit.support.micrometer.RabbitTemplateObservation.DefaultRabbitTemplateObservationConvention;
import org.springframework.util.StringUtils;

/**
 * The {@link HarePublisher} Hare builds: encodes, claims the deduplication key, sends mandatory
 * on its {@link ConfirmChannel} and turns the confirm, return or failure into a result. A claim
 * is released whenever the publish fails, so that a retry can go through.
 */
public class DefaultHarePublisher implements HarePublisher {

	private static final Log logger = LogFactory.getLog(DefaultHarePublisher.class);

	private final String name;

	private final HareConnection connection;

	private final HareMessageConverter messageConverter;

	private final String exchange;

	private final String exchangeType;

	private final String routingKey;

	private final boolean declareExchange;

	private final Duration confirmTimeout;

	private final @Nullable Deduplication deduplication;

	private final ConfirmChannel channel;

	// Exchanges other than this publisher's that a passive declare found. A publish to a missing
	// exchange closes the channel, failing every other message in flight on it, so a new
	// destination is checked first.
	private final Set<String> verifiedExchanges = ConcurrentHashMap.newKeySet();

	private volatile boolean declared;

	private @Nullable ObservationRegistry observationRegistry;

	private @Nullable HareDelays delays;

	private List<HarePublishObserver> observers = List.of();

	DefaultHarePublisher(String name, HareConnection connection, HareMessageConverter messageConverter,
			String exchange, String exchangeType, String routingKey, boolean declareExchange, Duration confirmTimeout,
			@Nullable Deduplication deduplication) {
		this.name = name;
		this.connection = connection;
		this.messageConverter = messageConverter;
		this.exchange = exchange;
		this.exchangeType = exchangeType;
		this.routingKey = routingKey;
		// The default exchange and the amq.* ones exist on every broker and cannot be declared.
		this.declareExchange = declareExchange && StringUtils.hasText(exchange) && !exchange.startsWith("amq.");
		this.declared = !this.declareExchange;
		this.confirmTimeout = confirmTimeout;
		this.deduplication = deduplication;
		this.channel = new ConfirmChannel(connection.getConnectionFactory(), confirmTimeout);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getExchange() {
		return this.exchange;
	}

	@Override
	public String getRoutingKey() {
		return this.routingKey;
	}

	public String getExchangeType() {
		return this.exchangeType;
	}

	public HareConnection getConnection() {
		return this.connection;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	/**
	 * Return how this publisher deduplicates.
	 * @return the deduplication settings, {@code null} if it does not
	 */
	public @Nullable Deduplication getDeduplication() {
		return this.deduplication;
	}

	/**
	 * Declare the exchange, durable, through the connection's admin, which declares it again
	 * after every reconnect. A broker that cannot be reached is not fatal: the exchange is then
	 * declared before the first publish.
	 * @throws HareDeclarationException if the broker refuses the declaration, such as an
	 * exchange that exists with another type
	 */
	public void start() {
		try {
			declareIfNecessary();
		}
		catch (AmqpException ex) {
			Optional<String> refusal = ChannelCloses.replyText(ex);
			if (refusal.isPresent()) {
				throw new HareDeclarationException("Hare publisher '" + this.name + "' could not declare exchange '"
						+ this.exchange + "' (" + this.exchangeType + ", durable): " + refusal.get()
						+ ". Delete or migrate the existing exchange, set the publisher's exchange-type to match it, "
						+ "set its declare-exchange=false, or set hare.topology.ignore-declaration-conflicts=true", ex);
			}
			logger.warn("Hare publisher '" + this.name + "' could not declare exchange '" + this.exchange + "' on "
					+ this.connection + " yet; it will before the first publish: "
					+ CredentialMasker.mask(ex.getMessage()));
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
				logger.debug("Hare publisher '" + this.name + "' declared exchange '" + this.exchange + "'");
			}
		}
	}

	@Override
	public PublishResult publish(Object payload) {
		PublishRequest request = asRequest(payload);
		CompletableFuture<PublishResult> result = publishAsync(request);
		try {
			return result.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HarePublishException(Reason.INTERRUPTED, this.name, exchange(request), routingKey(request), null,
					"interrupted while waiting for the confirm; the message may still arrive", ex);
		}
		catch (ExecutionException ex) {
			// A HarePublishException, or a request this publisher cannot serve (a delay with
			// delayed delivery off): thrown as the future holds it.
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new HarePublishException(Reason.CONNECTION_FAILED, this.name, exchange(request), routingKey(request),
					null, String.valueOf(ex.getCause()), ex.getCause());
		}
	}

	@Override
	public CompletableFuture<PublishResult> publishAsync(Object payload) {
		CompletableFuture<PublishResult> result = send(payload);
		if (this.observers.isEmpty()) {
			return result;
		}
		// Observers see the outcome before the caller does: a caller that waits on the future
		// finds the metrics already counted.
		CompletableFuture<PublishResult> observed = new CompletableFuture<>();
		result.whenComplete((published, ex) -> {
			notifyObservers(published, ex);
			if (ex != null) {
				observed.completeExceptionally(ex);
			}
			else {
				observed.complete(published);
			}
		});
		return observed;
	}

	private void notifyObservers(@Nullable PublishResult result, @Nullable Throwable ex) {
		for (HarePublishObserver observer : this.observers) {
			try {
				if (result != null) {
					observer.published(this, result);
				}
				else if (ex instanceof HarePublishException failure) {
					observer.failed(this, failure);
				}
			}
			catch (RuntimeException observerFailure) {
				logger.warn("Hare publish observer " + observer.getClass().getName() + " failed on publisher '"
						+ this.name + "': " + observerFailure, observerFailure);
			}
		}
	}

	private CompletableFuture<PublishResult> send(Object payload) {
		PublishRequest request = asRequest(payload);
		Attempt attempt = new Attempt(exchange(request), routingKey(request));
		Message message;
		try {
			message = toMessage(request);
		}
		catch (RuntimeException ex) {
			return attempt.fail(Reason.ENCODING_FAILED, "could not encode "
					+ request.getPayload().getClass().getName() + ": " + ex.getMessage(), ex);
		}
		attempt.messageId = message.getMessageProperties().getMessageId();
		if (attempt.exchange.equals(this.exchange)) {
			try {
				declareIfNecessary();
			}
			catch (AmqpException ex) {
				if (ChannelCloses.replyText(ex).isEmpty()) {
					return attempt.fail(Reason.CONNECTION_FAILED, "could not connect: " + ex.getMessage(), ex);
				}
				// The exchange may exist with other arguments; sending tells whether it routes.
				logger.warn("Hare publisher '" + this.name + "' could not declare exchange '" + this.exchange
						+ "'; publishing anyway: " + ChannelCloses.replyText(ex).get());
				this.declared = true;
			}
		}
		String exchange = attempt.exchange;
		String routingKey = attempt.routingKey;
		Message outgoing = message;
		if (request.isDelayed()) {
			HareDelays delays = this.delays;
			if (delays == null) {
				return CompletableFuture.failedFuture(new IllegalStateException("Hare publisher '" + this.name
						+ "' cannot delay a message: delayed delivery is off (hare.delay.enabled=false)"));
			}
			// Confirmed once held in the delay levels; the forwarder publishes it when due.
			DelayedMessage delayed;
			try {
				delayed = delayed(delays, request, attempt, message);
			}
			catch (AmqpException ex) {
				return attempt.fail(Reason.CONNECTION_FAILED,
						"could not declare Hare's delay levels: " + ex.getMessage(), ex);
			}
			exchange = delayed.exchange();
			routingKey = delayed.routingKey();
			outgoing = delayed.message();
		}
		if (!exchangeVerified(exchange)) {
			return attempt.fail(Reason.UNROUTABLE, "the exchange '" + exchange + "' does not exist", null);
		}
		if (this.deduplication != null) {
			CompletableFuture<PublishResult> rejected = claim(attempt, request.getPayload(), message);
			if (rejected != null) {
				return rejected;
			}
		}
		attempt.sentExchange = exchange;
		CompletableFuture<Outcome> outcome;
		try {
			outcome = sendObserved(exchange, routingKey, outgoing);
		}
		catch (AmqpException | ShutdownSignalException | IllegalStateException ex) {
			// The client can let its AlreadyClosedException through when the connection closes
			// while a channel opens: a failed publish, not a crash.
			return attempt.fail(Reason.CONNECTION_FAILED, "could not send: " + ex.getMessage(), ex);
		}
		CompletableFuture<PublishResult> result = new CompletableFuture<>();
		outcome.whenComplete((answer, ex) -> attempt.complete(result, answer, ex));
		return result;
	}

	/**
	 * Send on the channel, inside a Spring AMQP template observation when an observation
	 * registry is set, so that traces and metrics look as they do for a {@code RabbitTemplate}.
	 */
	private CompletableFuture<Outcome> sendObserved(String exchange, String routingKey, Message message) {
		ObservationRegistry registry = this.observationRegistry;
		if (registry == null || registry.isNoop()) {
			return this.channel.send(exchange, routingKey, message);
		}
		return RabbitTemplateObservation.TEMPLATE_OBSERVATION
			.observation(null, DefaultRabbitTemplateObservationConvention.INSTANCE,
					() -> new RabbitMessageSenderContext(message, this.name, exchange, routingKey), registry)
			.observe(() -> this.channel.send(exchange, routingKey, message));
	}

	/**
	 * Whether the exchange can be published to without closing the channel: the default
	 * exchange, an {@code amq.*} one, this publisher's own, or one a passive declare found.
	 */
	private boolean exchangeVerified(String exchange) {
		if (exchange.isEmpty() || exchange.startsWith("amq.") || exchange.equals(this.exchange)
				|| this.verifiedExchanges.contains(exchange)) {
			return true;
		}
		try {
			if (ConfirmedSend.exchangeMissing(this.connection.getTemplate(), exchange)) {
				return false;
			}
			this.verifiedExchanges.add(exchange);
		}
		catch (RuntimeException ex) {
			// The broker cannot be asked now; the send tells.
		}
		return true;
	}

	private DelayedMessage delayed(HareDelays delays, PublishRequest request, Attempt attempt, Message message) {
		DelayInfrastructure levels = delays.get(this.connection);
		Instant deliverAt = request.getDeliverAt();
		return (deliverAt != null) ? levels.toExchangeAt(attempt.exchange, attempt.routingKey, message, deliverAt)
				: levels.toExchange(attempt.exchange, attempt.routingKey, message, request.getDelay());
	}

	/**
	 * Set the delay levels that delayed messages wait in.
	 * @param delays the delay levels of every connection, or {@code null} if they are off
	 */
	void setDelays(@Nullable HareDelays delays) {
		this.delays = delays;
	}

	/**
	 * Claim the message's deduplication key.
	 * @return a completed future if the message must not be sent, {@code null} to send it
	 */
	private @Nullable CompletableFuture<PublishResult> claim(Attempt attempt, Object payload, Message message) {
		Deduplication dedup = this.deduplication;
		try {
			attempt.dedupKey = dedup.keyStrategy().key(attempt.exchange, attempt.routingKey, payload, message);
		}
		catch (DedupKeyException ex) {
			return attempt.fail(Reason.DEDUP_KEY_MISSING, ex.getMessage(), ex);
		}
		try {
			if (!dedup.store().claim(attempt.dedupKey, dedup.ttl())) {
				return CompletableFuture.completedFuture(attempt.result(PublishResult.Status.DUPLICATE));
			}
			attempt.claimed = true;
		}
		catch (RuntimeException ex) {
			String detail = "dedup store " + dedup.store() + " is unavailable: " + ex.getMessage();
			if (!dedup.failOpen()) {
				return attempt.fail(Reason.DEDUP_STORE_UNAVAILABLE, detail, ex);
			}
			logger.warn("Hare publisher '" + this.name + "' publishes without deduplication: "
					+ CredentialMasker.mask(detail));
		}
		return null;
	}

	private Message toMessage(PublishRequest request) {
		Object payload = request.getPayload();
		Message message;
		if (payload instanceof Message given) {
			message = given;
		}
		else {
			MessageProperties properties = new MessageProperties();
			properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
			message = this.messageConverter.toMessage(payload, properties);
		}
		MessageProperties properties = message.getMessageProperties();
		request.customize(properties);
		if (!StringUtils.hasText(properties.getMessageId())) {
			properties.setMessageId(UUID.randomUUID().toString());
		}
		if (properties.getTimestamp() == null) {
			properties.setTimestamp(new Date());
		}
		return message;
	}

	private static PublishRequest asRequest(Object payload) {
		return (payload instanceof PublishRequest request) ? request : PublishRequest.of(payload);
	}

	private String exchange(PublishRequest request) {
		return (request.getExchange() != null) ? request.getExchange() : this.exchange;
	}

	private String routingKey(PublishRequest request) {
		return (request.getRoutingKey() != null) ? request.getRoutingKey() : this.routingKey;
	}

	/**
	 * Set the observers told what becomes of every message.
	 * @param observers the observers, in order
	 */
	void setObservers(List<HarePublishObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	/**
	 * Observe every publish with Micrometer Observation, as a {@code RabbitTemplate} with
	 * observation enabled does: a trace starts at the publish and its context goes out in the
	 * message's headers.
	 * @param observationRegistry the registry, or {@code null} not to observe
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Close this publisher's channel; called by the registry when the application stops.
	 */
	public void destroy() {
		this.channel.close();
	}

	@Override
	public String toString() {
		return "HarePublisher '" + this.name + "' (exchange '" + this.exchange + "', routing key '" + this.routingKey
				+ "', connection '" + this.connection.getName() + "')";
	}

	/**
	 * One publish in progress: where it goes and what it claimed.
	 */
	private final class Attempt {

		private final String exchange;

		private final String routingKey;

		private @Nullable String messageId;

		private @Nullable String dedupKey;

		// Where the message went: the destination, or a delay level for a delayed message.
		private @Nullable String sentExchange;

		private boolean claimed;

		Attempt(String exchange, String routingKey) {
			this.exchange = exchange;
			this.routingKey = routingKey;
		}

		PublishResult result(PublishResult.Status status) {
			return new PublishResult(status, this.messageId, this.exchange, this.routingKey, this.dedupKey);
		}

		void complete(CompletableFuture<PublishResult> result, @Nullable Outcome outcome, @Nullable Throwable ex) {
			HarePublishException failure = failure(outcome, ex);
			if (failure == null) {
				result.complete(result(PublishResult.Status.PUBLISHED));
				return;
			}
			release();
			result.completeExceptionally(failure);
		}

		private @Nullable HarePublishException failure(@Nullable Outcome outcome, @Nullable Throwable ex) {
			if (ex instanceof TimeoutException) {
				return exception(Reason.TIMED_OUT, "the broker did not confirm it within "
						+ DefaultHarePublisher.this.confirmTimeout.toMillis() + "ms; it may still arrive", ex);
			}
			if (ex != null || outcome == null) {
				return exception(Reason.CONNECTION_FAILED, "waiting for the confirm failed: " + ex, ex);
			}
			return switch (outcome.status()) {
				case CONFIRMED -> null;
				case NACKED -> exception(Reason.NACKED, "the broker refused it (negative acknowledgement)", null);
				case RETURNED -> exception(Reason.UNROUTABLE, "the broker returned it: " + outcome.replyCode() + " "
						+ outcome.replyText() + " (no queue is bound for this routing key)", null);
				case CHANNEL_CLOSED -> closed(outcome);
			};
		}

		private HarePublishException closed(Outcome outcome) {
			if (outcome.replyCode() == ChannelCloses.NOT_FOUND
					&& outcome.replyText().contains("exchange '" + this.sentExchange + "'")) {
				DefaultHarePublisher.this.verifiedExchanges.remove(this.sentExchange);
				return exception(Reason.UNROUTABLE,
						"the exchange '" + this.sentExchange + "' does not exist: " + outcome.replyText(), null);
			}
			return exception(Reason.CONNECTION_FAILED, "the channel closed before the broker confirmed it ("
					+ CredentialMasker.mask(outcome.replyText()) + "); it may still arrive", null);
		}

		CompletableFuture<PublishResult> fail(Reason reason, String detail, @Nullable Throwable cause) {
			release();
			return CompletableFuture.failedFuture(exception(reason, detail, cause));
		}

		private HarePublishException exception(Reason reason, String detail, @Nullable Throwable cause) {
			return new HarePublishException(reason, DefaultHarePublisher.this.name, this.exchange, this.routingKey,
					this.messageId, detail, cause);
		}

		private void release() {
			if (!this.claimed) {
				return;
			}
			this.claimed = false;
			Deduplication dedup = DefaultHarePublisher.this.deduplication;
			try {
				dedup.store().release(this.dedupKey);
			}
			catch (RuntimeException ex) {
				logger.warn("Hare publisher '" + DefaultHarePublisher.this.name + "' could not release dedup key "
						+ this.dedupKey + " of a failed publish; a retry is a duplicate until it expires: "
						+ CredentialMasker.mask(ex.getMessage()));
			}
		}

	}

}
