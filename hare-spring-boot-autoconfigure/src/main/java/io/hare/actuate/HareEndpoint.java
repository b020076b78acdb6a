package io.hare.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnectionMonitor;
import io.hare.connection.HareConnections;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.DeadLetter;
import io.hare.operations.DeadLetterGroups;
import io.hare.operations.DeadLetterPage;
import io.hare.operations.DeleteResult;
import io.hare.operations.HareListenerStatistics;
import io.hare.operations.HareOperations;
import io.hare.operations.HarePublisherStatistics;
import io.hare.operations.QueueDepths;
import io.hare.outbox.HareOutbox;
import io.hare.operations.RedriveRequest;
import io.hare.operations.RedriveResult;
import io.hare.publish.HarePublishers;
import io.hare.topology.StreamOffset;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows Hare's listeners, their queues and dead letters, its
 * publishers and its connections, and lets an operator with write access pause, resume and scale a listener
 * and peek at, group, page through, republish, delete or purge its dead letters. Write access is off unless
 * {@code management.endpoint.hare.access=unrestricted}.
 * <p>
 * The actions are {@link HareOperations}'; describing is left to package-private describers.
 * The nested records are the endpoint's JSON responses, kept here so that their names read
 * as the endpoint's; they make up most of this class's length.
 */
@Endpoint(id = "hare", defaultAccess = Access.READ_ONLY)
public class HareEndpoint {

	private final HareListenerRegistry registry;

	private final HareOperations operations;

	private final ListenerDescriber listeners;

	private final ConnectionDescriber connections;

	private @Nullable PublisherDescriber publishers;

	private @Nullable OutboxDescriber outbox;

	public HareEndpoint(HareListenerRegistry registry, HareConnections connections,
			HareConnectionMonitor connectionMonitor, QueueDepths queueDepths, HareListenerStatistics statistics,
			HareOperations operations) {
		this.registry = registry;
		this.operations = operations;
		this.listeners = new ListenerDescriber(queueDepths, statistics);
		this.connections = new ConnectionDescriber(connections, connectionMonitor);
	}

	/**
	 * Show these publishers, with what became of their messages.
	 * @param publishers the publishers
	 * @param publisherStatistics their counts since the application started
	 */
	public void setPublishers(HarePublishers publishers, HarePublisherStatistics publisherStatistics) {
		this.publishers = new PublisherDescriber(publishers, publisherStatistics);
	}

	/**
	 * Show the transactional outbox, with its backlog.
	 * @param outbox the outbox
	 */
	public void setOutbox(HareOutbox outbox) {
		this.outbox = new OutboxDescriber(outbox);
	}

	@ReadOperation
	public HareDescriptor hare() {
		Map<String, ListenerDescriptor> listeners = new LinkedHashMap<>();
		this.registry.getListeners()
			.forEach((listener) -> listeners.put(listener.getId(), this.listeners.describe(listener)));
		PublisherDescriber publishers = this.publishers;
		OutboxDescriber outbox = this.outbox;
		return new HareDescriptor(listeners, (publishers != null) ? publishers.describeAll() : new LinkedHashMap<>(),
				this.connections.describeAll(), (outbox != null) ? outbox.describe() : null);
	}

	@ReadOperation
	public @Nullable ListenerDescriptor listener(@Selector String listenerId) {
		return this.registry.getListener(listenerId).map(this.listeners::describe).orElse(null);
	}

	/**
	 * Act on a listener.
	 * @param listenerId the listener's id
	 * @param action {@code pause}, {@code resume}, {@code reset-circuit-breaker}, {@code scale},
	 * {@code peek}, {@code groups},
	 * {@code messages}, {@code republish}, {@code delete}, {@code purge}, or {@code check}, which
	 * changes nothing and shows that the caller may act
	 * @param consumers the number of consumers to {@code scale} to
	 * @param count how many dead letters to {@code peek} at (10 when not given), to list in
	 * {@code messages} (20 when not given) or to {@code republish} (all when not given)
	 * @param exception the exception class, fully qualified or simple name, of the dead letters
	 * to {@code republish} (all when not given)
	 * @param group the id of the group of dead letters to list in {@code messages}, to
	 * {@code republish} or to {@code delete}
	 * @param id the id of the one dead letter to {@code republish} or {@code delete}
	 * @param offset how many dead letters {@code messages} passes over (none when not given)
	 * @return the listener after the action, with what the action returned
	 */
	public OperationResponseBody operate(String listenerId, String action, @Nullable Integer consumers,
			@Nullable Integer count, @Nullable String exception, @Nullable String group, @Nullable String id,
			@Nullable Integer offset) {
		return operate(listenerId, action, consumers, count, exception, group, id, offset, null);
	}

	/**
	 * Act on a listener.
	 * @param listenerId the listener's id
	 * @param action {@code pause}, {@code resume}, {@code reset-circuit-breaker}, {@code scale},
	 * {@code reset-offset}, {@code peek}, {@code groups},
	 * {@code messages}, {@code republish}, {@code delete}, {@code purge}, or {@code check}, which
	 * changes nothing and shows that the caller may act
	 * @param consumers the number of consumers to {@code scale} to
	 * @param count how many dead letters to {@code peek} at (10 when not given), to list in
	 * {@code messages} (20 when not given) or to {@code republish} (all when not given)
	 * @param exception the exception class, fully qualified or simple name, of the dead letters
	 * to {@code republish} (all when not given)
	 * @param group the id of the group of dead letters to list in {@code messages}, to
	 * {@code republish} or to {@code delete}
	 * @param id the id of the one dead letter to {@code republish} or {@code delete}
	 * @param offset how many dead letters {@code messages} passes over (none when not given)
	 * @param to where a stream listener reads from after {@code reset-offset}: {@code first},
	 * {@code last}, {@code next}, an offset, a timestamp or a duration ago
	 * @return the listener after the action, with what the action returned
	 */
	@WriteOperation
	public OperationResponseBody operate(@Selector String listenerId, String action, @Nullable Integer consumers,
			@Nullable Integer count, @Nullable String exception, @Nullable String group, @Nullable String id,
			@Nullable Integer offset, @Nullable String to) {
		try {
			return switch (action.toLowerCase(Locale.ROOT)) {
				case "check" -> describeListener(listenerId);
				case "pause" -> {
					this.operations.pause(listenerId);
					yield describeListener(listenerId);
				}
				case "resume" -> {
					this.operations.resume(listenerId);
					yield describeListener(listenerId);
				}
				case "reset-circuit-breaker" -> {
					this.operations.resetCircuitBreaker(listenerId);
					yield describeListener(listenerId);
				}
				case "reset-offset" -> {
					if (to == null || to.isBlank()) {
						throw new InvalidEndpointRequestException(
								"Say where to read from: 'to' is first, last, next, an offset, a timestamp or a duration",
								"Missing 'to'");
					}
					this.operations.resetStreamOffset(listenerId, StreamOffset.parse(to));
					yield describeListener(listenerId);
				}
				case "scale" -> {
					if (consumers == null) {
						throw new InvalidEndpointRequestException("Say how many 'consumers' to scale to",
								"Missing 'consumers'");
					}
					this.operations.scale(listenerId, consumers);
					yield describeListener(listenerId);
				}
				case "peek" -> new DeadLettersDescriptor(listenerId,
						this.operations.peek(listenerId, (count != null) ? count : 10));
				case "groups" -> new DeadLetterGroupsDescriptor(listenerId, this.operations.groupDeadLetters(listenerId));
				case "messages" -> new DeadLetterPageDescriptor(listenerId, this.operations.deadLetters(listenerId,
						blankToNull(group), (offset != null) ? offset : 0, (count != null) ? count : 20));
				case "republish" -> new RedriveDescriptor(listenerId, republish(listenerId, count, exception,
						blankToNull(group), blankToNull(id)));
				case "delete" -> new DeleteDescriptor(listenerId, delete(listenerId, blankToNull(group), blankToNull(id)));
				case "purge" -> new PurgeDescriptor(listenerId, this.operations.purge(listenerId));
				default -> throw new InvalidEndpointRequestException("Unknown action '" + action
						+ "': use pause, resume, reset-circuit-breaker, reset-offset, scale, peek, groups, messages, republish, delete, purge or check",
						"Unknown action");
			};
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()), "Invalid request");
		}
	}

	private RedriveResult republish(String listenerId, @Nullable Integer count, @Nullable String exception,
			@Nullable String group, @Nullable String id) {
		if (id != null || group != null) {
			if (count != null || blankToNull(exception) != null || (id != null && group != null)) {
				throw new IllegalArgumentException("Republish one 'id', one 'group', or by 'count' and 'exception'");
			}
			return (id != null) ? this.operations.redriveMessage(listenerId, id)
					: this.operations.redriveGroup(listenerId, group);
		}
		return this.operations.redrive(listenerId, redriveRequest(count, exception));
	}

	private DeleteResult delete(String listenerId, @Nullable String group, @Nullable String id) {
		if ((id == null) == (group == null)) {
			throw new IllegalArgumentException("Delete one 'id' or one 'group'; 'purge' deletes every dead letter");
		}
		return (id != null) ? this.operations.deleteMessage(listenerId, id)
				: this.operations.deleteGroup(listenerId, group);
	}

	private static @Nullable String blankToNull(@Nullable String text) {
		return (text != null && !text.isBlank()) ? text.trim() : null;
	}

	private ListenerDescriptor describeListener(String listenerId) {
		return this.listeners.describe(this.operations.listener(listenerId));
	}

	private static RedriveRequest redriveRequest(@Nullable Integer count, @Nullable String exception) {
		return new RedriveRequest((count != null) ? count : Integer.MAX_VALUE, blankToNull(exception));
	}

	/**
	 * Everything Hare runs.
	 *
	 * @param listeners the listeners, by id
	 * @param publishers the publishers, by name
	 * @param connections the connections, by name
	 * @param outbox the transactional outbox, or {@code null} when it is off
	 */
	public record HareDescriptor(Map<String, ListenerDescriptor> listeners, Map<String, PublisherDescriptor> publishers,
			Map<String, ConnectionDescriptor> connections, @Nullable OutboxDescriptor outbox)
			implements OperationResponseBody {

	}

	/**
	 * The transactional outbox.
	 *
	 * @param table the outbox table
	 * @param listening whether the relay is woken by PostgreSQL notifications, not only polling
	 * @param pending the messages waiting to be sent, or {@code null} if the table cannot be read
	 * @param oldestAge how long the oldest waiting message has waited (ISO-8601), or {@code null}
	 * @param sent the messages the relay sent since the start, or {@code null}
	 * @param failed the sends that failed since the start, or {@code null}
	 * @param duplicates the messages dropped as duplicates since the start, or {@code null}
	 * @param error why the table could not be read, or {@code null}
	 */
	public record OutboxDescriptor(String table, boolean listening, @Nullable Long pending,
			@Nullable String oldestAge, @Nullable Long sent, @Nullable Long failed, @Nullable Long duplicates,
			@Nullable String error) {

	}

	/**
	 * One publisher.
	 *
	 * @param name the publisher's name
	 * @param exchange the exchange it publishes to
	 * @param exchangeType the exchange's type, if known
	 * @param routingKey the routing key it publishes with
	 * @param connection the name of the connection it publishes on, if known
	 * @param confirmTimeout how long it waits for a confirm, if known
	 * @param dedup how it deduplicates, {@code null} if it does not
	 * @param counts what became of the messages it was given since the application started
	 */
	public record PublisherDescriptor(String name, String exchange, @Nullable String exchangeType, String routingKey,
			@Nullable String connection, @Nullable String confirmTimeout, @Nullable DedupDescriptor dedup,
			PublishCountsDescriptor counts) {

	}

	/**
	 * How a publisher deduplicates.
	 *
	 * @param ttl how long a key is remembered, or {@code infinite}
	 * @param keys what the key is made of: fields of the payload or the whole message
	 * @param store where keys are claimed
	 * @param failOpen whether it publishes anyway when the store is unavailable
	 */
	public record DedupDescriptor(String ttl, String keys, String store, boolean failOpen) {

	}

	/**
	 * What became of the messages a publisher was given since the application started.
	 *
	 * @param published confirmed by the broker
	 * @param duplicate dropped as duplicates
	 * @param returned returned by the broker as unroutable
	 * @param failed refused, timed out, lost with the connection, or not encodable
	 */
	public record PublishCountsDescriptor(long published, long duplicate, long returned, long failed) {

	}

	/**
	 * One listener.
	 *
	 * @param id the listener's id
	 * @param queue the work queue
	 * @param exchange the exchange the queue is bound to, if any
	 * @param exchangeType the exchange's type
	 * @param routingKeys the binding's routing keys
	 * @param queueType classic, quorum or stream
	 * @param connection the name of the connection it consumes on
	 * @param state running, paused or stopped
	 * @param consumers its consumers
	 * @param prefetch its prefetch, {@code null} for Spring AMQP's default
	 * @param retry how it retries, {@code null} for a stream
	 * @param deadLetterQueue its dead-letter queue, {@code null} for a stream
	 * @param depth the ready messages in its queues
	 * @param counts what became of the messages it handled since the application started
	 * @param circuitBreaker the state of its circuit breaker, {@code null} without one
	 * @param batchSize the size of its batches, {@code null} for single messages
	 * @param broadcast whether every instance gets every message
	 * @param stream how a stream listener reads its stream, {@code null} for a queue
	 */
	public record ListenerDescriptor(String id, String queue, @Nullable String exchange, String exchangeType,
			List<String> routingKeys, String queueType, String connection, String state,
			ConsumersDescriptor consumers, @Nullable Integer prefetch, @Nullable RetryDescriptor retry,
			@Nullable String deadLetterQueue, DepthDescriptor depth, CountsDescriptor counts,
			@Nullable String circuitBreaker, @Nullable Integer batchSize,
			boolean broadcast, @Nullable StreamDescriptor stream) implements OperationResponseBody {

	}

	/**
	 * How a stream listener reads its stream.
	 *
	 * @param protocol {@code stream} for the stream protocol, {@code amqp} for AMQP 0-9-1
	 * @param consumerName the name the broker stores its offset under, {@code null} over AMQP
	 * @param storedOffset the offset stored on the broker, {@code null} if none is or over AMQP
	 */
	public record StreamDescriptor(String protocol, @Nullable String consumerName, @Nullable Long storedOffset) {

	}

	/**
	 * The consumers of a listener.
	 *
	 * @param active the consumers running now
	 * @param desired the consumers the listener is set to run, by the auto-scaler if it has one
	 * @param min the fewest consumers the auto-scaler runs, {@code null} when not auto-scaled
	 * @param max the most consumers the auto-scaler runs, {@code null} when not auto-scaled
	 * @param autoScaled whether the auto-scaler sets the number of consumers
	 */
	public record ConsumersDescriptor(int active, int desired, @Nullable Integer min, @Nullable Integer max,
			boolean autoScaled) {

	}

	/**
	 * How a listener retries.
	 *
	 * @param limit the retries after the first attempt
	 * @param delays the delay before each retry
	 * @param nonRetryable the exceptions dead-lettered at once
	 */
	public record RetryDescriptor(int limit, List<String> delays, List<String> nonRetryable) {

	}

	/**
	 * The ready messages in a listener's queues, {@code null} when they cannot be read.
	 *
	 * @param queue in the work queue
	 * @param deadLetters in the dead-letter queue
	 */
	public record DepthDescriptor(@Nullable Long queue, @Nullable Long deadLetters) {

	}

	/**
	 * What became of the messages a listener handled since the application started.
	 *
	 * @param processed handled successfully
	 * @param retried sent to a delay queue for another attempt
	 * @param deadLettered sent to the dead-letter queue, undecodable ones included
	 * @param decodeFailed sent to the dead-letter queue because they could not be decoded
	 * @param requeued requeued because a retry or dead-letter copy was not confirmed
	 * @param skipped acked although their handler failed, as a stream listener does
	 */
	public record CountsDescriptor(long processed, long retried, long deadLettered, long decodeFailed, long requeued,
			long skipped) {

	}

	/**
	 * One connection, without its password.
	 *
	 * @param host the configured host
	 * @param port the configured port
	 * @param virtualHost the virtual host
	 * @param username the user
	 * @param connected whether the connection is open
	 * @param address the broker address it is or was last open to
	 */
	public record ConnectionDescriptor(String host, int port, String virtualHost, String username, boolean connected,
			@Nullable String address) {

	}

	/**
	 * Dead letters peeked at; they are still in the queue.
	 *
	 * @param listener the listener's id
	 * @param deadLetters the dead letters, oldest first
	 */
	public record DeadLettersDescriptor(String listener, List<DeadLetter> deadLetters) implements OperationResponseBody {

	}

	/**
	 * What a republish of dead letters did.
	 *
	 * @param listener the listener's id
	 * @param redrive the result
	 */
	public record RedriveDescriptor(String listener, RedriveResult redrive) implements OperationResponseBody {

	}

	/**
	 * A listener's dead letters grouped by how they failed; they are still in the queue.
	 *
	 * @param listener the listener's id
	 * @param deadLetters the groups, with how many dead letters were read to make them
	 */
	public record DeadLetterGroupsDescriptor(String listener,
			DeadLetterGroups deadLetters) implements OperationResponseBody {

	}

	/**
	 * A page of a listener's dead letters; they are still in the queue.
	 *
	 * @param listener the listener's id
	 * @param deadLetters the page
	 */
	public record DeadLetterPageDescriptor(String listener, DeadLetterPage deadLetters) implements OperationResponseBody {

	}

	/**
	 * What a deletion of chosen dead letters did.
	 *
	 * @param listener the listener's id
	 * @param delete the result
	 */
	public record DeleteDescriptor(String listener, DeleteResult delete) implements OperationResponseBody {

	}

	/**
	 * What a purge of dead letters did.
	 *
	 * @param listener the listener's id
	 * @param purged how many dead letters were deleted
	 */
	public record PurgeDescriptor(String listener, int purged) implements OperationResponseBody {

	}

}
