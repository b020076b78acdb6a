package io.hare.operations;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.event.HareDeadLettersPeekedEvent;
import io.hare.event.HareDeadLettersPurgedEvent;
import io.hare.event.HareListenerPausedEvent;
import io.hare.event.HareListenerResumedEvent;
import io.hare.event.HareRedriveDoneEvent;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * What an operator can do to a running listener: pause, resume and scale it, and peek at,
 * redrive or purge its dead letters. Each action publishes a
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
		HareListenerContainer listener = deadLettering(listenerId);
		if (!this.redriving.add(listenerId)) {
			throw new IllegalStateException("A redrive of Hare listener '" + listenerId + "' is already running");
		}
		try {
			RedriveResult result = redriver(listener).redrive(listener.getTopology().deadQueue(),
					listener.getTopology().queue(), request);
			this.eventPublisher.publishEvent(new HareRedriveDoneEvent(this, listenerId, result));
			return result;
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
