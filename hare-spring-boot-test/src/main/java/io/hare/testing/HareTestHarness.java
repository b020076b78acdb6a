package io.hare.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.publish.HarePublishException;
import io.hare.publish.PublishResult;
import io.hare.topology.ListenerTopology;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.util.Assert;

/**
 * Awaits what became of the messages of an application's Hare listeners and lists what its
 * publishers sent, from Hare's observer SPIs, without polling the broker. An await returns
 * what it waited for, or fails with an {@link AssertionError} that tells what did happen to
 * the listener's messages: handled how often, retried, dead-lettered with which exception,
 * how many are still in the queue. A bean in every test whose application context has
 * Hare and this module; everything recorded is forgotten before each test method.
 */
public class HareTestHarness {

	private final HareTestRecorder recorder;

	private final HareListenerRegistry registry;

	private final HareConnections connections;

	private final HareMessageConverter converter;

	private final Duration timeout;

	HareTestHarness(HareTestRecorder recorder, HareListenerRegistry registry, HareConnections connections,
			HareMessageConverter converter, Duration timeout) {
		this.recorder = recorder;
		this.registry = registry;
		this.connections = connections;
		this.converter = converter;
		this.timeout = timeout;
	}

	/**
	 * Return a harness whose awaits wait the given time (the default is
	 * {@code hare.test.await-timeout}, 10 s).
	 * @param timeout how long to wait
	 * @return the harness, sharing what was recorded
	 */
	public HareTestHarness within(Duration timeout) {
		Assert.isTrue(timeout.toNanos() > 0, "'timeout' must be positive");
		return new HareTestHarness(this.recorder, this.registry, this.connections, this.converter, timeout);
	}

	/**
	 * Wait until a listener handled a message: its handler returned.
	 * @param listenerId the listener
	 * @return the message
	 */
	public HandledMessage awaitHandled(String listenerId) {
		return await(listenerId, "handle a message", (m) -> m.outcome() == HandlingOutcome.SUCCESS, (m) -> false);
	}

	/**
	 * Wait until a listener handled a matching message. Fails at once when a matching message
	 * was dead-lettered instead.
	 * @param listenerId the listener
	 * @param matching which message, such as {@link #messageId(String)}
	 * @return the message
	 */
	public HandledMessage awaitHandled(String listenerId, Predicate<? super HandledMessage> matching) {
		return await(listenerId, "handle a matching message",
				(m) -> m.outcome() == HandlingOutcome.SUCCESS && matching.test(m),
				(m) -> m.outcome().isDeadLettered() && matching.test(m));
	}

	/**
	 * Wait until a listener handled a message whose payload, decoded as the listener's
	 * parameter is, matches.
	 * @param <T> the payload type
	 * @param listenerId the listener
	 * @param payloadType the payload type
	 * @param matching which payload
	 * @return the payload
	 */
	public <T> T awaitHandled(String listenerId, Class<T> payloadType, Predicate<? super T> matching) {
		Predicate<HandledMessage> payload = (m) -> decode(m.message(), payloadType).filter(matching).isPresent();
		HandledMessage handled = await(listenerId, "handle a matching " + payloadType.getSimpleName(),
				(m) -> m.outcome() == HandlingOutcome.SUCCESS && payload.test(m),
				(m) -> m.outcome().isDeadLettered() && payload.test(m));
		return decode(handled.message(), payloadType).orElseThrow();
	}

	/**
	 * Wait until a listener retried a message after the given attempt failed.
	 * @param listenerId the listener
	 * @param attempt the 1-based attempt that failed: 1 for the first retry
	 * @return the message, with the failure and the delay before its next attempt
	 */
	public HandledMessage awaitRetried(String listenerId, int attempt) {
		return awaitRetried(listenerId, attempt, (m) -> true);
	}

	/**
	 * Wait until a listener retried a matching message after the given attempt failed. Fails
	 * at once when a matching message was handled or dead-lettered by that attempt.
	 * @param listenerId the listener
	 * @param attempt the 1-based attempt that failed: 1 for the first retry
	 * @param matching which message
	 * @return the message, with the failure and the delay before its next attempt
	 */
	public HandledMessage awaitRetried(String listenerId, int attempt, Predicate<? super HandledMessage> matching) {
		Assert.isTrue(attempt >= 1, "'attempt' must be at least 1");
		return await(listenerId, "retry a message after attempt " + attempt,
				(m) -> m.outcome() == HandlingOutcome.RETRIED && m.attempt() == attempt && matching.test(m),
				(m) -> (m.outcome() == HandlingOutcome.SUCCESS || m.outcome().isDeadLettered())
						&& m.attempt() <= attempt && matching.test(m));
	}

	/**
	 * Wait until a listener dead-lettered a message.
	 * @param listenerId the listener
	 * @return the dead letter, with its reason headers
	 */
	public HareDeadLetter awaitDeadLettered(String listenerId) {
		return HareDeadLetter.of(await(listenerId, "dead-letter a message", (m) -> m.outcome().isDeadLettered(),
				(m) -> false));
	}

	/**
	 * Wait until a listener dead-lettered a matching message. Fails at once when a matching
	 * message was handled instead.
	 * @param listenerId the listener
	 * @param matching which message
	 * @return the dead letter, with its reason headers
	 */
	public HareDeadLetter awaitDeadLettered(String listenerId, Predicate<? super HandledMessage> matching) {
		return HareDeadLetter.of(await(listenerId, "dead-letter a matching message",
				(m) -> m.outcome().isDeadLettered() && matching.test(m),
				(m) -> m.outcome() == HandlingOutcome.SUCCESS && matching.test(m)));
	}

	/**
	 * Return every delivery a listener handled since the test began, in order, whatever became
	 * of it.
	 * @param listenerId the listener
	 * @return the deliveries
	 */
	public List<HandledMessage> handled(String listenerId) {
		return this.recorder.handled(listenerId);
	}

	/**
	 * Return what a publisher sent since the test began: each message the broker confirmed,
	 * or dropped as a duplicate, in order.
	 * @param publisherName the publisher
	 * @return the results
	 */
	public List<PublishResult> published(String publisherName) {
		return this.recorder.published(publisherName);
	}

	/**
	 * Return the messages a publisher could not publish since the test began.
	 * @param publisherName the publisher
	 * @return the failures, with their reasons
	 */
	public List<HarePublishException> publishFailures(String publisherName) {
		return this.recorder.failed(publisherName);
	}

	/**
	 * Forget every message and publish recorded so far; done before each test method.
	 */
	public void reset() {
		this.recorder.reset();
	}

	/**
	 * Match a message by its id, such as the {@link PublishResult#messageId()} of a publish.
	 * @param messageId the message id
	 * @return the predicate
	 */
	public static Predicate<HandledMessage> messageId(String messageId) {
		return (m) -> messageId.equals(m.message().getMessageProperties().getMessageId());
	}

	private HandledMessage await(String listenerId, String what, Predicate<HandledMessage> wanted,
			Predicate<HandledMessage> precluding) {
		HareListenerContainer listener = this.registry.getListener(listenerId)
			.orElseThrow(() -> new AssertionError("No Hare listener has id '" + listenerId + "'; known: "
					+ this.registry.getListeners().stream().map(HareListenerContainer::getId).toList()));
		Optional<HandledMessage> found = this.recorder.await(listenerId, this.timeout,
				(messages) -> messages.stream().filter(wanted.or(precluding)).findFirst());
		if (found.isPresent() && wanted.test(found.get())) {
			return found.get();
		}
		String verdict = found.map((m) -> "a matching message ended otherwise: " + MessageHistory.describe(m))
			.orElse("it did not within " + this.timeout);
		throw new AssertionError("Expected Hare listener '" + listenerId + "' to " + what + ", but " + verdict
				+ ". What happened on '" + listenerId + "':\n" + MessageHistory.describe(handled(listenerId)) + "\n  "
				+ depths(listener));
	}

	private <T> Optional<T> decode(Message message, Class<T> type) {
		try {
			Message copy = MessageBuilder.fromClonedMessage(message).build();
			copy.getMessageProperties().setInferredArgumentType(type);
			return Optional.of(type.cast(this.converter.fromMessage(copy)));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	// Read once, for the failure message: what is still waiting in the work and dead-letter queues.
	private String depths(HareListenerContainer listener) {
		ListenerTopology topology = listener.getTopology();
		try {
			RabbitAdmin admin = this.connections.get(listener.getSettings().connection()).getAdmin();
			String depths = "still in queue '" + topology.queue() + "': " + depth(admin.getQueueInfo(topology.queue()));
			if (topology.hasRetryQueues()) {
				depths += "; in '" + topology.deadQueue() + "': " + depth(admin.getQueueInfo(topology.deadQueue()));
			}
			return depths;
		}
		catch (RuntimeException ex) {
			return "queue depths unknown: " + ex.getMessage();
		}
	}

	private static String depth(@Nullable QueueInformation info) {
		return (info != null) ? info.getMessageCount() + " ready message(s)" : "no such queue";
	}

}
