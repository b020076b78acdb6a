package io.hare.operations;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.event.HareDeadLettersPeekedEvent;
import io.hare.event.HareDeadLettersPurgedEvent;
import io.hare.event.HareListenerPausedEvent;
import io.hare.event.HareListenerResumedEvent;
import io.hare.event.HareRedriveDoneEvent;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * What an operator can do to a running listener: pause, resume and scale it, and peek at,
 * group, page through, redrive, delete or purge its dead letters. Each action publishes a
 * {@link io.hare.event.HareOperationEvent}, which the metrics count. The {@code hare}
 * actuator endpoint calls these; so can application code.
 */
public class HareOperations {

	/**
	 * The most dead letters one peek returns.
	 */
	public static final int MAX_PEEK = 100;

	private final HareListenerRegistry registry;

	private final HareConnections connections;

	private final ApplicationEventPublisher eventPublisher;

	private final Set<String> redriving = ConcurrentHashMap.newKeySet();

	private Duration confirmTimeout = Duration.ofSeconds(10);

	private int redriveRate = 100;

	private int readLimit = 1_000;

	public HareOperations(HareListenerRegistry registry, HareConnections connections,
			ApplicationEventPublisher eventPublisher) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
		this.registry = registry;
		this.connections = connections;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set how long a redrive waits for the broker to confirm each republished dead letter.
	 * @param confirmTimeout the confirm timeout
	 */
	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Set the most dead letters a redrive republishes per second.
	 * @param redriveRate the rate; zero or less for no limit
	 */
	public void setRedriveRate(int redriveRate) {
		this.redriveRate = redriveRate;
	}

	/**
	 * Set the most dead letters read from a dead-letter queue to group them or page through
	 * them.
	 * @param readLimit the read limit, at least 1
	 */
	public void setReadLimit(int readLimit) {
		Assert.isTrue(readLimit > 0, "'readLimit' must be positive");
		this.readLimit = readLimit;
	}

	/**
	 * Return a listener.
	 * @param listenerId the listener's id
	 * @return the listener
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public HareListenerContainer listener(String listenerId) {
		return this.registry.getListener(listenerId)
			.orElseThrow(() -> new IllegalArgumentException("No Hare listener has the id '" + listenerId + "'"));
	}

	/**
	 * Stop a listener consuming; in-flight messages finish first.
	 * @param listenerId the listener's id
	 */
	public void pause(String listenerId) {
		this.registry.pause(listenerId);
		this.eventPublisher.publishEvent(new HareListenerPausedEvent(this, listenerId));
	}

	/**
	 * Close a listener's circuit breaker, so that it consumes again at once.
	 * @param listenerId the listener id
	 * @throws IllegalArgumentException if there is no such listener
	 * @throws IllegalStateException if the listener has no circuit breaker
	 */
	public void resetCircuitBreaker(String listenerId) {
		this.registry.resetCircuitBreaker(listenerId);
	}

	/**
	 * Make a stream listener read from the given offset on, whatever offset it stored on the
	 * broker, and store from there.
	 * @param listenerId the listener id
	 * @param offset where to read from, such as {@link StreamOffset#FIRST}
	 * @throws IllegalArgumentException if there is no such listener
	 * @throws IllegalStateException if the listener does not read a stream over the stream
	 * protocol
	 */
	public void resetStreamOffset(String listenerId, StreamOffset offset) {
		this.registry.resetStreamOffset(listenerId, offset);
	}

	/**
	 * Start a paused listener again.
	 * @param listenerId the listener's id
	 */
	public void resume(String listenerId) {
		this.registry.resume(listenerId);
		this.eventPublisher.publishEvent(new HareListenerResumedEvent(this, listenerId));
	}

	/**
	 * Change the number of consumers of a listener; the registry publishes a
	 * {@link io.hare.event.HareListenerScaledEvent}.
	 * @param listenerId the listener's id
	 * @param consumers the number of consumers, at least 1
	 * @return the number of consumers before
	 */
	public int scale(String listenerId, int consumers) {
		int previous = listener(listenerId).getDesiredConsumers();
		this.registry.setConsumers(listenerId, consumers);
		return previous;
	}

	/**
	 * Return the first dead letters of a listener, leaving them in its dead-letter queue.
	 * @param listenerId the listener's id
	 * @param count the most to return, at most {@value #MAX_PEEK}
	 * @return the dead letters, oldest first
	 */
	public List<DeadLetter> peek(String listenerId, int count) {
		Assert.isTrue(count > 0 && count <= MAX_PEEK, () -> "Peek 1 to " + MAX_PEEK + " dead letters, not " + count);
		HareListenerContainer listener = deadLettering(listenerId);
		List<DeadLetter> deadLetters = redriver(listener).peek(listener.getTopology().deadQueue(), count)
			.stream()
			.map(DeadLetter::of)
			.toList();
		this.eventPublisher.publishEvent(new HareDeadLettersPeekedEvent(this, listenerId, deadLetters.size()));
		return deadLetters;
	}

	/**
	 * Move dead letters of a listener back to its work queue, each only once the broker
	 * confirmed its copy. Returns when the redrive is over.
	 * @param listenerId the listener's id
	 * @param request which dead letters to move
	 * @return what the redrive did
	 * @throws IllegalStateException if a redrive of the listener is already running
	 */
	public RedriveResult redrive(String listenerId, RedriveRequest request) {
		return redrive(listenerId, request::matches, request.maxMessages());
	}

	/**
	 * Move one dead letter of a listener back to its work queue, as {@link #redrive} does.
	 * @param listenerId the listener's id
	 * @param id the {@link FailedMessage#id() id} of the dead letter
	 * @return what the redrive did: one republished, or none when no dead letter has that id
	 */
	public RedriveResult redriveMessage(String listenerId, String id) {
		return redrive(listenerId, FailurePattern.withId(id), 1);
	}

	/**
	 * Move the dead letters of one group back to the work queue, as {@link #redrive} does;
	 * every dead letter in the queue is looked at, not only the ones a grouping read.
	 * @param listenerId the listener's id
	 * @param groupId the {@link DeadLetterGroup#id() id} of the group
	 * @return what the redrive did
	 */
	public RedriveResult redriveGroup(String listenerId, String groupId) {
		return redrive(listenerId, FailurePattern.inGroup(groupId), Integer.MAX_VALUE);
	}

	private RedriveResult redrive(String listenerId, Predicate<Message> selector, int maxMessages) {
		HareListenerContainer listener = deadLettering(listenerId);
		RedriveResult result = exclusively(listenerId, () -> redriver(listener)
			.redrive(listener.getTopology().deadQueue(), listener.getTopology().queue(), selector, maxMessages));
		this.eventPublisher.publishEvent(new HareRedriveDoneEvent(this, listenerId, result));
		return result;
	}

	/**
	 * Delete one dead letter of a listener; the others stay, in their order.
	 * @param listenerId the listener's id
	 * @param id the {@link FailedMessage#id() id} of the dead letter
	 * @return what was deleted: one, or none when no dead letter has that id
	 */
	public DeleteResult deleteMessage(String listenerId, String id) {
		return delete(listenerId, FailurePattern.withId(id), 1);
	}

	/**
	 * Delete the dead letters of one group; the others stay, in their order. Every dead letter
	 * in the queue is looked at, not only the ones a grouping read.
	 * @param listenerId the listener's id
	 * @param groupId the {@link DeadLetterGroup#id() id} of the group
	 * @return what was deleted
	 */
	public DeleteResult deleteGroup(String listenerId, String groupId) {
		return delete(listenerId, FailurePattern.inGroup(groupId), Integer.MAX_VALUE);
	}

	private DeleteResult delete(String listenerId, Predicate<Message> selector, int maxMessages) {
		HareListenerContainer listener = deadLettering(listenerId);
		RedriveResult run = exclusively(listenerId,
				() -> redriver(listener).delete(listener.getTopology().deadQueue(), selector, maxMessages));
		this.eventPublisher.publishEvent(new HareDeadLettersPurgedEvent(this, listenerId, run.republished()));
		return new DeleteResult(run.republished(), run.skipped(), run.stop(), run.failure());
	}

	/**
	 * Group the dead letters of a listener by exception class and message pattern. At most
	 * the {@link #setReadLimit(int) read limit} are read, with {@code basic.get} on a channel of
	 * their own, and returned to the queue, in their order, before this returns.
	 * @param listenerId the listener's id
	 * @return the groups, largest first
	 */
	public DeadLetterGroups groupDeadLetters(String listenerId) {
		HareListenerContainer listener = deadLettering(listenerId);
		long depth = depth(listener);
		List<Message> read = read(listener, depth);
		return new DeadLetterGroups(Math.max(depth, read.size()), read.size(), read.size() >= depth,
				FailurePattern.group(read));
	}

	/**
	 * Return one page of the dead letters of a listener, of one group or of all, oldest first,
	 * among the first {@link #setReadLimit(int) read limit} in its dead-letter queue; they stay
	 * in the queue.
	 * @param listenerId the listener's id
	 * @param groupId the {@link DeadLetterGroup#id() id} of the group, {@code null} for all
	 * @param offset how many matching dead letters to pass over
	 * @param limit the most to return, at most {@value #MAX_PEEK}
	 * @return the page
	 */
	public DeadLetterPage deadLetters(String listenerId, @Nullable String groupId, int offset, int limit) {
		Assert.isTrue(offset >= 0, () -> "The offset must not be negative, not " + offset);
		Assert.isTrue(limit > 0 && limit <= MAX_PEEK, () -> "Page 1 to " + MAX_PEEK + " dead letters, not " + limit);
		HareListenerContainer listener = deadLettering(listenerId);
		long depth = depth(listener);
		List<Message> read = read(listener, depth);
		List<Message> matching = read.stream()
			.filter((groupId != null) ? FailurePattern.inGroup(groupId) : (message) -> true)
			.toList();
		List<FailedMessage> page = matching.stream().skip(offset).limit(limit).map(FailedMessage::of).toList();
		return new DeadLetterPage(groupId, offset, matching.size(), read.size(), read.size() >= depth, page);
	}

	private long depth(HareListenerContainer listener) {
		QueueInformation info = this.connections.get(listener.getSettings().connection())
			.getAdmin()
			.getQueueInfo(listener.getTopology().deadQueue());
		return (info != null) ? info.getMessageCount() : 0;
	}

	private List<Message> read(HareListenerContainer listener, long depth) {
		if (depth == 0) {
			return List.of();
		}
		List<Message> read = redriver(listener).peek(listener.getTopology().deadQueue(),
				(int) Math.min(depth, this.readLimit));
		this.eventPublisher.publishEvent(new HareDeadLettersPeekedEvent(this, listener.getId(), read.size()));
		return read;
	}

	private <T> T exclusively(String listenerId, Supplier<T> run) {
		if (!this.redriving.add(listenerId)) {
			throw new IllegalStateException("A redrive or deletion of dead letters of Hare listener '" + listenerId
					+ "' is already running");
		}
		try {
			return run.get();
		}
		finally {
			this.redriving.remove(listenerId);
		}
	}

	/**
	 * Delete every dead letter of a listener.
	 * @param listenerId the listener's id
	 * @return how many were deleted
	 */
	public int purge(String listenerId) {
		HareListenerContainer listener = deadLettering(listenerId);
		int purged = redriver(listener).purge(listener.getTopology().deadQueue());
		this.eventPublisher.publishEvent(new HareDeadLettersPurgedEvent(this, listenerId, purged));
		return purged;
	}

	private HareListenerContainer deadLettering(String listenerId) {
		HareListenerContainer listener = listener(listenerId);
		if (!listener.getTopology().hasRetryQueues()) {
			throw new IllegalStateException(
					"Hare listener '" + listenerId + "' consumes a stream: it has no dead-letter queue");
		}
		return listener;
	}

	private DeadLetterRedriver redriver(HareListenerContainer listener) {
		HareConnection connection = this.connections.get(listener.getSettings().connection());
		DeadLetterRedriver redriver = new DeadLetterRedriver(connection.getTemplate(), connection.getConfirmType());
		redriver.setConfirmTimeout(this.confirmTimeout);
		redriver.setRate(this.redriveRate);
		return redriver;
	}

}
