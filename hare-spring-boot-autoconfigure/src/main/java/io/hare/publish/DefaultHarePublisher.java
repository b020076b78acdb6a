package io.hare.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.rabbitmq.client.ShutdownSignalException;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.convert.HareMessageConverter;
import io.hare.delay.DelayInfrastructure;
import io.hare.delay.DelayedMessage;
import io.hare.delay.HareDelays;
import io.hare.publish.ConfirmChannel.Outcome;
import io.hare.publish.HarePublishException.Reason;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageSenderContext;
import org.springframework.amqp.rabbit.support.micrometer.RabbitTemplateObservation;
import org.springframework.amqp.rabbit.support.micrometer.RabbitTemplateObservation.DefaultRabbitTemplateObservationConvention;
import org.springframework.util.unit.DataSize;

/**
 * The {@link HarePublisher} Hare builds: encodes, claims the deduplication key, sends mandatory
 * on its {@link ConfirmChannel} and turns the confirm, return or failure into a result. A claim
 * is released whenever the publish fails, so that a retry can go through. Each publish is a
 * {@link PublishAttempt}; {@link PublishExchanges} declares and checks the exchanges,
 * {@link PublishMessages} encodes and {@link PublishObservers} tells the observers. Longer
 * than most classes for the many documented variants of the {@link HarePublisher} API it
 * implements and the outbox and delay paths it hands off to.
 */
public class DefaultHarePublisher implements HarePublisher {

	private final String name;

	private final HareConnection connection;

	private final HareMessageConverter messageConverter;

	private PublishMessages messages;

	private final String exchange;

	private final String exchangeType;

	private final String routingKey;

	private final Duration confirmTimeout;

	private final @Nullable Deduplication deduplication;

	private final ConfirmChannel channel;

	private final PublishExchanges exchanges;

	private @Nullable ObservationRegistry observationRegistry;

	private @Nullable HareDelays delays;

	private @Nullable PublishOutbox outbox;

	private PublishObservers observers = new PublishObservers(List.of());

	private final boolean declareExchange;

	// Set for a publisher to a stream over the stream protocol, which then replaces the channel.
	private @Nullable String stream;

	private StreamPublishing.@Nullable Producer streamProducer;

	DefaultHarePublisher(String name, HareConnection connection, HareMessageConverter messageConverter,
			String exchange, String exchangeType, String routingKey, boolean declareExchange, Duration confirmTimeout,
			@Nullable Deduplication deduplication) {
		this.name = name;
		this.connection = connection;
		this.messages = new PublishMessages(messageConverter);
		this.messageConverter = messageConverter;
		this.exchange = exchange;
		this.exchangeType = exchangeType;
		this.routingKey = routingKey;
		this.exchanges = new PublishExchanges(name, connection, exchange, exchangeType, declareExchange);
		this.declareExchange = declareExchange;
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

	/**
	 * Whether this publisher declares its exchange (never the default exchange or an
	 * {@code amq.*} one).
	 * @return whether it declares its exchange
	 */
	public boolean isDeclaringExchange() {
		return this.declareExchange && !this.exchange.isEmpty() && !this.exchange.startsWith("amq.");
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
	 * @throws io.hare.topology.HareDeclarationException if the broker refuses the declaration, such as an
	 * exchange that exists with another type
	 */
	public void start() {
		if (this.stream != null) {
			return;
		}
		this.exchanges.declareAtStart();
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
		PublishOutbox outbox = this.outbox;
		if (outbox != null && outbox.intercepts(this.name)) {
			// Thrown rather than returned in a future: a caller that ignores the future must
			// not commit its transaction without the message.
			return CompletableFuture.completedFuture(store(outbox, asRequest(payload)));
		}
		return this.observers.observe(this, send(payload));
	}

	/**
	 * Write the message into the outbox in the caller's transaction. Deduplication, the
	 * exchange checks and observers wait until the outbox sends it through this publisher.
	 */
	private PublishResult store(PublishOutbox outbox, PublishRequest request) {
		String exchange = exchange(request);
		String routingKey = routingKey(request);
		Message message;
		try {
			message = this.messages.toMessage(request);
		}
		catch (RuntimeException ex) {
			throw new HarePublishException(Reason.ENCODING_FAILED, this.name, exchange, routingKey, null,
					"could not encode " + request.getPayload().getClass().getName() + ": " + ex.getMessage(), ex);
		}
		Instant deliverAt = request.getDeliverAt();
		if (request.getDelay() != null) {
			deliverAt = Instant.now().plus(request.getDelay());
		}
		if (deliverAt != null && this.delays == null) {
			throw new IllegalStateException("Hare publisher '" + this.name
					+ "' cannot delay a message: delayed delivery is off (hare.delay.enabled=false)");
		}
		String messageId = message.getMessageProperties().getMessageId();
		outbox.store(new PublishOutbox.Entry(this.name, exchange, routingKey, message, deliverAt));
		return new PublishResult(PublishResult.Status.STORED, messageId, exchange, routingKey, null);
	}

	private CompletableFuture<PublishResult> send(Object payload) {
		PublishRequest request = asRequest(payload);
		HareDelays delays = this.delays;
		if (request.isDelayed() && delays == null) {
			// Refused before anything is sent or claimed, whether the broker can be reached or not.
			return CompletableFuture.failedFuture(new IllegalStateException("Hare publisher '" + this.name
					+ "' cannot delay a message: delayed delivery is off (hare.delay.enabled=false)"));
		}
		String stream = this.stream;
		PublishAttempt attempt = new PublishAttempt(this.name, this.exchanges, this.confirmTimeout, this.deduplication,
				(stream != null) ? "" : exchange(request), (stream != null) ? stream : routingKey(request));
		Message message;
		try {
			message = this.messages.toMessage(request);
		}
		catch (RuntimeException ex) {
			return attempt.fail(Reason.ENCODING_FAILED, "could not encode "
					+ request.getPayload().getClass().getName() + ": " + ex.getMessage(), ex);
		}
		attempt.messageId = message.getMessageProperties().getMessageId();
		StreamPublishing.Producer streamProducer = this.streamProducer;
		if (streamProducer != null) {
			return sendToStream(streamProducer, request, attempt, message);
		}
		if (attempt.exchange.equals(this.exchange)) {
			try {
				this.exchanges.declareBeforePublish();
			}
			catch (AmqpException ex) {
				return attempt.fail(Reason.CONNECTION_FAILED, "could not connect: " + ex.getMessage(), ex);
			}
		}
		String exchange = attempt.exchange;
		String routingKey = attempt.routingKey;
		Message outgoing = message;
		if (request.isDelayed()) {
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
		if (!this.exchanges.verified(exchange)) {
			return attempt.fail(Reason.UNROUTABLE, "the exchange '" + exchange + "' does not exist", null);
		}
		CompletableFuture<PublishResult> rejected = attempt.claim(request.getPayload(), message);
		if (rejected != null) {
			return rejected;
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

	private CompletableFuture<PublishResult> sendToStream(StreamPublishing.Producer producer, PublishRequest request,
			PublishAttempt attempt, Message message) {
		if (request.isDelayed() || request.getExchange() != null || request.getRoutingKey() != null) {
			return CompletableFuture.failedFuture(new IllegalStateException("Hare publisher '" + this.name
					+ "' publishes to stream '" + this.stream + "' over the stream protocol: it cannot delay a message "
					+ "or send it to another exchange or routing key"));
		}
		CompletableFuture<PublishResult> rejected = attempt.claim(request.getPayload(), message);
		if (rejected != null) {
			return rejected;
		}
		CompletableFuture<PublishResult> result = new CompletableFuture<>();
		try {
			// One future per message, completed from the client's confirm callback.
			producer.send(message, (confirmed, failure) -> attempt.complete(result,
					(failure != null) ? null : (confirmed ? Outcome.CONFIRMED : Outcome.NACKED), failure));
		}
		catch (RuntimeException ex) {
			return attempt.fail(Reason.CONNECTION_FAILED, "could not send to stream '" + this.stream + "': "
					+ ex.getMessage(), ex);
		}
		return result;
	}

	/**
	 * Send to a stream over the stream protocol, with its confirms, instead of to the exchange.
	 * @param stream the stream
	 * @param producer the producer that sends to it
	 */
	void setStream(String stream, StreamPublishing.Producer producer) {
		this.stream = stream;
		this.streamProducer = producer;
	}

	/**
	 * Return the stream this publisher sends to over the stream protocol.
	 * @return the stream, or {@code null} if it sends to an exchange
	 */
	public @Nullable String getStream() {
		return this.stream;
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

	private DelayedMessage delayed(HareDelays delays, PublishRequest request, PublishAttempt attempt,
			Message message) {
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
	 * Set the outbox that takes the messages published inside a database transaction.
	 * @param outbox the outbox, or {@code null} to always send at once
	 */
	void setOutbox(@Nullable PublishOutbox outbox) {
		this.outbox = outbox;
	}

	/**
	 * Set what every message goes through after it was encoded.
	 * @param postProcessors the post-processors, in order
	 * @param compressAbove the body size above which the body is gzipped, or {@code null} for
	 * never
	 */
	void setMessageProcessing(List<MessagePostProcessor> postProcessors, @Nullable DataSize compressAbove) {
		this.messages = new PublishMessages(this.messageConverter, postProcessors, compressAbove);
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
		this.observers = new PublishObservers(observers);
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
		if (this.streamProducer != null) {
			this.streamProducer.close();
		}
	}

	@Override
	public String toString() {
		return "HarePublisher '" + this.name + "' (exchange '" + this.exchange + "', routing key '" + this.routingKey
				+ "', connection '" + this.connection.getName() + "')";
	}

}
