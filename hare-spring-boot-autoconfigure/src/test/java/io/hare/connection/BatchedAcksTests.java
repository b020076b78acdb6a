package io.hare.connection;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link BatchedAcks} tells the broker for the acks and rejects a container sends: one
 * multiple ack per batch, never naming a delivery it must not settle.
 */
class BatchedAcksTests {

	private static final Duration LONG = Duration.ofMinutes(10);

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final Channel channel = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { Channel.class }, (proxy, method, args) -> {
				if (method.getName().equals("isOpen")) {
					return true;
				}
				this.sent.add(method.getName() + Arrays.toString(args));
				return null;
			});

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	BatchedAcksTests() {
		this.scheduler.initialize();
	}

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdown();
	}

	@Test
	void sendsOneMultipleAckPerBatch() throws Exception {
		BatchedAcks acks = new BatchedAcks(this.channel, 5, LONG, this.scheduler);
		for (long tag = 1; tag <= 12; tag++) {
			acks.ack(tag);
		}
		assertThat(this.sent).containsExactly("basicAck[5, true]", "basicAck[10, true]");
		acks.flushBeforeClose(Duration.ZERO);
		assertThat(this.sent).endsWith("basicAck[12, true]");
	}

	@Test
	void sendsWhatIsHeldBackOnceTheTimeoutIsOver() throws Exception {
		BatchedAcks acks = new BatchedAcks(this.channel, 50, Duration.ofMillis(50), this.scheduler);
		acks.ack(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sent.contains("basicAck[1, true]"));
	}

	@Test
	void aNackOfTheContainerAcksWhatIsHeldBackThenRejectsOnlyWhatItNames() throws Exception {
		BatchedAcks acks = new BatchedAcks(this.channel, 50, LONG, this.scheduler);
		acks.ack(1);
		acks.ack(2);
		acks.reject(3, true, true);
		acks.ack(4);
		acks.reject(7, true, false);
		assertThat(this.sent).containsExactly("basicAck[2, true]", "basicNack[3, false, true]", "basicAck[4, true]",
				"basicNack[5, false, false]", "basicNack[6, false, false]", "basicNack[7, false, false]");
	}

	@Test
	void aDeliveryWaitingForItsCopyHoldsBackTheMultipleAckUntilConfirmed() throws Exception {
		BatchedAcks acks = new BatchedAcks(this.channel, 3, LONG, this.scheduler);
		CompletableFuture<Void> confirmed = new CompletableFuture<>();
		acks.ack(1);
		acks.ackWhenDone(2, confirmed);
		acks.ack(2);
		acks.ack(3);
		acks.ack(4);
		assertThat(this.sent).containsExactly("basicAck[1, true]");
		confirmed.complete(null);
		assertThat(this.sent).containsExactly("basicAck[1, true]", "basicAck[4, true]");
	}

	@Test
	void aDeliveryWhoseCopyFailedIsRequeuedAloneAndNeverNamedByAMultipleAck() throws Exception {
		BatchedAcks acks = new BatchedAcks(this.channel, 50, LONG, this.scheduler);
		CompletableFuture<Void> confirmed = new CompletableFuture<>();
		acks.ack(1);
		acks.ackWhenDone(2, confirmed);
		acks.ack(2);
		confirmed.completeExceptionally(new IllegalStateException("nacked"));
		acks.flushBeforeClose(Duration.ZERO);
		assertThat(this.sent).containsExactly("basicNack[2, false, true]", "basicAck[1, true]");
	}

	@Test
	void closingWaitsForPendingCopiesSoThatTheirOriginalsAreAcked() throws Exception {
		BatchedAcks acks = new BatchedAcks(this.channel, 50, LONG, this.scheduler);
		CompletableFuture<Void> confirmed = new CompletableFuture<>();
		acks.ackWhenDone(1, confirmed);
		acks.ack(1);
		acks.ack(2);
		CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS)
			.execute(() -> confirmed.complete(null));
		acks.flushBeforeClose(Duration.ofSeconds(5));
		assertThat(this.sent).containsExactly("basicAck[2, true]");
	}

}
