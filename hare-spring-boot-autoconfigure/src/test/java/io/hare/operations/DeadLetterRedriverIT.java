package io.hare.operations;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DeadLetterRedriver} against the real broker: peeking leaves dead letters in place,
 * a redrive moves all, N or those of one exception back with the attempt reset, and a
 * connection closed in the middle loses nothing.
 */
class DeadLetterRedriverIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("redrive");

	private final String deadQueue = this.queue + ".dead";

	private final String connectionName = "hare-redrive-test-" + this.queue;

	private CachingConnectionFactory connectionFactory;

	private DeadLetterRedriver redriver;

	@BeforeEach
	void declareTopologyAndRedriver() {
		ListenerTopology topology = new ListenerTopology(this.queue, null, "direct", List.of(), QueueType.CLASSIC,
				null, List.of(Duration.ofSeconds(1)), Map.of());
		topology.declarables().getDeclarables().forEach((declarable) -> {
			if (declarable instanceof Queue declared) {
				this.broker.admin().declareQueue(declared);
			}
		});
		this.connectionFactory = this.broker.broker().connectionFactory();
		this.connectionFactory.setConnectionNameStrategy((factory) -> this.connectionName);
		this.connectionFactory.setPublisherReturns(true);
		RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
		template.setMandatory(true);
		this.redriver = new DeadLetterRedriver(template, ConfirmType.CORRELATED);
		this.redriver.setRate(0);
	}

	@AfterEach
	void closeConnection() {
		this.connectionFactory.destroy();
	}

	private void deadLetter(int id, Class<? extends Throwable> exception) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId("m" + id);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setHeader(HareHeaders.ATTEMPT, 4);
		properties.setHeader(HareHeaders.EXCEPTION, exception.getName());
		properties.setHeader(HareHeaders.EXCEPTION_MESSAGE, "failed " + id);
		properties.setHeader(HareHeaders.FAILED_AT, "2026-01-01T00:00:00Z");
		properties.setHeader(HareHeaders.LISTENER, "orders");
		properties.setHeader(HareHeaders.ORIGINAL_EXCHANGE, "shop");
		properties.setHeader(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE, "at somewhere");
		properties.setHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		this.broker.publish("", this.deadQueue,
				new Message(("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8), properties));
	}

	private List<Message> drain(String queue) {
		List<Message> messages = new ArrayList<>();
		Message message;
		while ((message = this.broker.template().receive(queue)) != null) {
			messages.add(message);
		}
		return messages;
	}

	private static List<String> ids(List<Message> messages) {
		return messages.stream().map((message) -> message.getMessageProperties().getMessageId()).toList();
	}

	@Test
	void peekReturnsTheFirstDeadLettersAndLeavesThemInPlaceInOrder() {
		IntStream.range(0, 5).forEach((id) -> deadLetter(id, IllegalStateException.class));
		List<Message> peeked = this.redriver.peek(this.deadQueue, 3);
		assertThat(ids(peeked)).containsExactly("m0", "m1", "m2");
		DeadLetter first = DeadLetter.of(peeked.get(0));
		assertThat(first.attempt()).isEqualTo(4);
		assertThat(first.exception()).isEqualTo(IllegalStateException.class.getName());
		assertThat(first.exceptionMessage()).isEqualTo("failed 0");
		assertThat(first.body()).isEqualTo("{\"id\":0}");
		await().atMost(TIMEOUT).until(() -> this.broker.depth(this.deadQueue) == 5);
		assertThat(ids(drain(this.deadQueue))).containsExactly("m0", "m1", "m2", "m3", "m4");
	}

	@Test
	void redriveAllMovesEveryDeadLetterBackWithTheAttemptAndFailureReset() {
		IntStream.range(0, 4).forEach((id) -> deadLetter(id, IllegalStateException.class));
		RedriveResult result = this.redriver.redrive(this.deadQueue, this.queue, RedriveRequest.all());
		assertThat(result.republished()).isEqualTo(4);
		assertThat(result.stop()).isIn(RedriveResult.Stop.EMPTY, RedriveResult.Stop.ALL_SCANNED);
		assertThat(this.broker.depth(this.deadQueue)).isZero();
		List<Message> moved = drain(this.queue);
		assertThat(ids(moved)).containsExactly("m0", "m1", "m2", "m3");
		Map<String, Object> headers = moved.get(0).getMessageProperties().getHeaders();
		assertThat(headers).doesNotContainKeys(HareHeaders.ATTEMPT, HareHeaders.EXCEPTION,
				HareHeaders.EXCEPTION_MESSAGE, HareHeaders.FAILED_AT, RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE);
		assertThat(headers).containsEntry(HareHeaders.ORIGINAL_EXCHANGE, "shop")
			.containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		assertThat(HareHeaders.failedAttempts(moved.get(0).getMessageProperties())).isZero();
		assertThat(new String(moved.get(2).getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":2}");
	}

	@Test
	void redriveOfNMovesTheFirstNAndLeavesTheRest() {
		IntStream.range(0, 5).forEach((id) -> deadLetter(id, IllegalStateException.class));
		RedriveResult result = this.redriver.redrive(this.deadQueue, this.queue, RedriveRequest.first(2));
		assertThat(result).isEqualTo(new RedriveResult(2, 0, RedriveResult.Stop.COUNT_REACHED, null));
		assertThat(ids(drain(this.queue))).containsExactly("m0", "m1");
		assertThat(ids(drain(this.deadQueue))).containsExactly("m2", "m3", "m4");
	}

	@Test
	void redriveFilteredByExceptionMovesOnlyTheMatchingOnesAndKeepsTheOthersInOrder() {
		deadLetter(0, IllegalStateException.class);
		deadLetter(1, TimeoutException.class);
		deadLetter(2, IllegalStateException.class);
		deadLetter(3, TimeoutException.class);
		RedriveResult result = this.redriver.redrive(this.deadQueue, this.queue,
				RedriveRequest.failedWith("TimeoutException"));
		assertThat(result.republished()).isEqualTo(2);
		assertThat(result.skipped()).isEqualTo(2);
		assertThat(ids(drain(this.queue))).containsExactly("m1", "m3");
		await().atMost(TIMEOUT).until(() -> this.broker.depth(this.deadQueue) == 2);
		assertThat(ids(drain(this.deadQueue))).containsExactly("m0", "m2");
	}

	@Test
	void redriveOfAnEmptyDeadLetterQueueStopsAtOnce() {
		RedriveResult result = this.redriver.redrive(this.deadQueue, this.queue, RedriveRequest.all());
		assertThat(result.republished()).isZero();
		assertThat(result.stop()).isIn(RedriveResult.Stop.EMPTY, RedriveResult.Stop.ALL_SCANNED);
		assertThat(this.broker.depth(this.queue)).isZero();
	}

	@Test
	void redriveToAMissingWorkQueueFailsAndKeepsTheDeadLetter() {
		deadLetter(0, IllegalStateException.class);
		RedriveResult result = this.redriver.redrive(this.deadQueue, this.queue + "-missing", RedriveRequest.all());
		assertThat(result.stop()).isEqualTo(RedriveResult.Stop.FAILED);
		assertThat(result.republished()).isZero();
		await().atMost(TIMEOUT).until(() -> this.broker.depth(this.deadQueue) == 1);
	}

	@Test
	void connectionClosedInTheMiddleOfARedriveLosesNothing() {
		int total = 50;
		IntStream.range(0, total).forEach((id) -> deadLetter(id, IllegalStateException.class));
		// Slow enough that rabbitmqctl closes the connection well before the redrive could end.
		this.redriver.setRate(10);
		CompletableFuture<RedriveResult> redrive = CompletableFuture
			.supplyAsync(() -> this.redriver.redrive(this.deadQueue, this.queue, RedriveRequest.all()));
		await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) >= 3);
		closeOwnConnection();
		RedriveResult result = redrive.join();
		assertThat(result.stop()).isEqualTo(RedriveResult.Stop.FAILED);
		assertThat(result.republished()).isBetween(3, total - 1);
		// Unacked dead letters return to the dead-letter queue when the connection closes.
		List<String> seen = new ArrayList<>();
		await().atMost(TIMEOUT).untilAsserted(() -> {
			seen.addAll(ids(drain(this.queue)));
			seen.addAll(ids(drain(this.deadQueue)));
			assertThat(seen).containsAll(IntStream.range(0, total).mapToObj((id) -> "m" + id).toList());
		});
		assertThat(seen.size() - total).as("copies in both queues, at most the one in flight").isLessThanOrEqualTo(1);
	}

	@Test
	void purgeDeletesEveryDeadLetter() {
		IntStream.range(0, 3).forEach((id) -> deadLetter(id, IllegalStateException.class));
		assertThat(this.redriver.purge(this.deadQueue)).isEqualTo(3);
		assertThat(this.broker.depth(this.deadQueue)).isZero();
	}

	private void closeOwnConnection() {
		String connections = this.broker.broker().ctl("list_connections", "pid", "client_properties");
		List<String> pids = connections.lines()
			.filter((line) -> line.contains(this.connectionName))
			.map((line) -> line.substring(0, line.indexOf('\t')))
			.toList();
		assertThat(pids).as("the redriver's connection").isNotEmpty();
		pids.forEach((pid) -> this.broker.broker().ctl("close_connection", pid, "hare redrive test"));
	}

}
