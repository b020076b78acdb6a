package io.hare.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetryRouter}: the outcome it reports is what it did with the message.
 */
class RetryRouterTests {

	private final ListenerTopology topology = new ListenerTopology("payments", null, "direct", List.of(),
			QueueType.CLASSIC, null, List.of(), Map.of());

	private final List<Duration> delaysUsed = new ArrayList<>();

	private final List<String> republishedTo = new ArrayList<>();

	private RetryRouter router(RetryPolicy policy) {
		return new RetryRouter("payments", this.topology, policy,
				(queue, listenerId) -> (message, cause) -> this.republishedTo.add(queue),
				(message, cause, delay) -> this.delaysUsed.add(delay), () -> {
				});
	}

	@Test
	void reportsTheJitteredDelayTheRetryWasSentWith() {
		// With 50% jitter two draws of the same attempt almost never agree to the millisecond.
		RetryRouter router = router(RetryPolicy
			.exponential(20, new ExponentialBackoff(Duration.ofSeconds(10), 2, Duration.ofMinutes(10), 0.5), List.of()));
		List<Duration> reported = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			RetryOutcome outcome = router.route(new Message(new byte[0], new MessageProperties()),
					new IllegalStateException("declined"), false);
			assertThat(outcome.retried()).isTrue();
			reported.add(outcome.delay());
		}
		assertThat(reported).isEqualTo(this.delaysUsed);
	}

	@Test
	void deadLetterHasNoDelay() {
		RetryRouter router = router(RetryPolicy
			.exponential(0, new ExponentialBackoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 0), List.of()));
		RetryOutcome outcome = router.route(new Message(new byte[0], new MessageProperties()),
				new IllegalStateException("declined"), false);
		assertThat(outcome).isEqualTo(RetryOutcome.DEAD_LETTERED);
		assertThat(this.republishedTo).containsExactly("payments.dead");
		assertThat(this.delaysUsed).isEmpty();
	}

	@Test
	void sendsTheAttemptOnACopyAndLeavesTheReceivedMessageUnchanged() {
		List<Message> sent = new ArrayList<>();
		RetryRouter router = new RetryRouter("payments", this.topology,
				RetryPolicy.exponential(1, new ExponentialBackoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 0),
						List.of()),
				(queue, listenerId) -> (message, cause) -> sent.add(message),
				(message, cause, delay) -> sent.add(message), () -> {
				});
		MessageProperties properties = new MessageProperties();
		properties.setHeader("tenant", "acme");
		Message received = new Message(new byte[0], properties);
		router.route(received, new IllegalStateException("declined"), false);
		assertThat(received.getMessageProperties().getHeaders()).containsOnlyKeys("tenant");
		assertThat(sent).singleElement()
			.satisfies((copy) -> assertThat(copy.getMessageProperties().getHeaders())
				.containsEntry(HareHeaders.ATTEMPT, 1)
				.containsEntry("tenant", "acme"));
	}

}
