package io.hare.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.hare.actuate.HareEndpoint.DeadLetterGroupsDescriptor;
import io.hare.actuate.HareEndpoint.DeadLetterPageDescriptor;
import io.hare.actuate.HareEndpoint.DeadLettersDescriptor;
import io.hare.actuate.HareEndpoint.DeleteDescriptor;
import io.hare.actuate.HareEndpoint.RedriveDescriptor;
import io.hare.actuate.HareOperationsTestSupport.Events;
import io.hare.actuate.HareOperationsTestSupport.OrdersListener;
import io.hare.event.HareDeadLettersPurgedEvent;
import io.hare.event.HareRedriveDoneEvent;
import io.hare.operations.DeadLetter;
import io.hare.operations.DeadLetterGroup;
import io.hare.operations.DeadLetterGroups;
import io.hare.operations.DeadLetterPage;
import io.hare.operations.FailedMessage;
import io.hare.operations.RedriveResult;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.hare.actuate.HareOperationsTestSupport.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@link HareEndpoint}'s dead-letter groups against the real broker: grouping by exception
 * and message pattern, paging through a group, and redriving or deleting one dead letter or a
 * group while the others stay, in their order.
 */
class HareEndpointDeadLetterGroupsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String INVALID = IllegalArgumentException.class.getName();

	private static final String BOOM = IllegalStateException.class.getName();

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("groups");

	private final String exchange = this.broker.exchange("groups");

	private ApplicationContextRunner runner() {
		return HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange);
	}

	/**
	 * Dead-letter three invalid orders (non-retryable {@code IllegalArgumentException}, the
	 * first two with a message id) and two that fail their one retry too
	 * ({@code IllegalStateException}), and wait until all five are dead.
	 */
	private void deadLetterFive() {
		publishOrder(1, -1, "order-1");
		publishOrder(2, -1, "order-2");
		publishOrder(3, -1, null);
		publishOrder(4, 2, null);
		publishOrder(5, 2, null);
		await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 5);
	}

	private void publishOrder(int id, int failures, String messageId) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setMessageId(messageId);
		this.broker.publish(this.exchange, "order.created",
				new Message(orderJson(id, failures).getBytes(StandardCharsets.UTF_8), properties));
	}

	@Test
	void groupsDeadLettersByExceptionAndMessagePatternAndLeavesThemInTheirOrder() {
		runner().run((context) -> {
			deadLetterFive();
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			List<String> before = bodies(endpoint);
			DeadLetterGroupsDescriptor response = (DeadLetterGroupsDescriptor) act(endpoint, "groups", null, null,
					null, null);
			DeadLetterGroups groups = response.deadLetters();
			assertThat(groups.depth()).isEqualTo(5);
			assertThat(groups.read()).isEqualTo(5);
			assertThat(groups.complete()).isTrue();
			assertThat(groups.groups()).extracting(DeadLetterGroup::exception, DeadLetterGroup::pattern,
					DeadLetterGroup::count)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(INVALID, "invalid order {n}", 3),
						org.assertj.core.groups.Tuple.tuple(BOOM, "boom {n}", 2));
			assertThat(groups.groups()).allSatisfy((group) -> {
				assertThat(group.id()).hasSize(12);
				assertThat(Instant.parse(group.firstFailedAt())).isBeforeOrEqualTo(Instant.parse(group.lastFailedAt()));
			});
			assertThat(bodies(endpoint)).as("dead letters after grouping").isEqualTo(before);
			assertThat(this.broker.depth(this.queue + ".dead")).isEqualTo(5);
			assertThat(new JsonMapper().writeValueAsString(response)).contains("\"groups\"", "\"firstFailedAt\"",
					"\"invalid order {n}\"");
		});
	}

	@Test
	void readsNoMoreDeadLettersThanTheReadLimitAndSaysSo() {
		runner().withPropertyValues("hare.dead-letters.read-limit=2").run((context) -> {
			deadLetterFive();
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			DeadLetterGroups groups = ((DeadLetterGroupsDescriptor) act(endpoint, "groups", null, null, null, null))
				.deadLetters();
			assertThat(groups.depth()).isEqualTo(5);
			assertThat(groups.read()).isEqualTo(2);
			assertThat(groups.complete()).isFalse();
			assertThat(groups.groups()).singleElement().satisfies((group) -> assertThat(group.count()).isEqualTo(2));
			assertThat(this.broker.depth(this.queue + ".dead")).isEqualTo(5);
		});
	}

	@Test
	void groupsTheFirstThousandOfMoreDeadLettersAndReturnsThemAll() {
		runner().run((context) -> {
			String deadQueue = this.queue + ".dead";
			await().atMost(TIMEOUT).until(() -> this.broker.depth(deadQueue) == 0);
			for (int id = 0; id < 1_200; id++) {
				this.broker.publishJson("", deadQueue, orderJson(id, -1),
						Map.of("x-hare-exception", (id % 3 == 0) ? BOOM : INVALID, "x-hare-exception-message",
								"order " + id + " failed", "x-hare-failed-at", Instant.now().toString()));
			}
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			DeadLetterGroups groups = ((DeadLetterGroupsDescriptor) act(endpoint, "groups", null, null, null, null))
				.deadLetters();
			assertThat(groups.depth()).isEqualTo(1_200);
			assertThat(groups.read()).isEqualTo(1_000);
			assertThat(groups.complete()).isFalse();
			assertThat(groups.groups()).extracting(DeadLetterGroup::count).containsExactly(666, 334);
			DeadLetterPage last = ((DeadLetterPageDescriptor) act(endpoint, "messages", 20,
					groups.groups().get(0).id(), null, 660))
				.deadLetters();
			assertThat(last.total()).isEqualTo(666);
			assertThat(last.messages()).hasSize(6);
			assertThat(this.broker.depth(deadQueue)).isEqualTo(1_200);
		});
	}

	@Test
	void pagesThroughAGroupWithHeadersReasonAndPrettyPrintedBody() {
		runner().run((context) -> {
			deadLetterFive();
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			String invalid = groupId(endpoint, INVALID);
			DeadLetterPage first = ((DeadLetterPageDescriptor) act(endpoint, "messages", 2, invalid, null, 0))
				.deadLetters();
			assertThat(first.group()).isEqualTo(invalid);
			assertThat(first.total()).isEqualTo(3);
			assertThat(first.complete()).isTrue();
			assertThat(first.messages()).extracting(FailedMessage::id).containsExactly("order-1", "order-2");
			FailedMessage message = first.messages().get(0);
			assertThat(message.group()).isEqualTo(invalid);
			assertThat(message.exception()).isEqualTo(INVALID);
			assertThat(message.exceptionMessage()).isEqualTo("invalid order 1");
			assertThat(message.attempt()).isEqualTo(1);
			assertThat(message.failedAt()).isNotNull();
			assertThat(message.headers()).containsEntry("x-hare-exception", INVALID).containsKey("x-hare-failed-at");
			assertThat(message.body()).isEqualTo("{\n  \"id\" : 1,\n  \"failures\" : -1\n}");
			DeadLetterPage second = ((DeadLetterPageDescriptor) act(endpoint, "messages", 2, invalid, null, 2))
				.deadLetters();
			assertThat(second.offset()).isEqualTo(2);
			assertThat(second.messages()).singleElement()
				.satisfies((third) -> assertThat(third.id()).startsWith("sha256:").hasSize(23));
			DeadLetterPage all = ((DeadLetterPageDescriptor) act(endpoint, "messages", null, null, null, null))
				.deadLetters();
			assertThat(all.total()).isEqualTo(5);
			assertThat(all.messages()).hasSize(5);
			assertThat(this.broker.depth(this.queue + ".dead")).isEqualTo(5);
		});
	}

	@Test
	void redrivesAndDeletesOneDeadLetterByIdAndKeepsTheOthersInTheirOrder() {
		runner().run((context) -> {
			deadLetterFive();
			OrdersListener listener = context.getBean(OrdersListener.class);
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			List<String> before = bodies(endpoint);
			listener.rejectInvalid = false;
			int invocations = listener.invocations.count();
			RedriveResult redriven = ((RedriveDescriptor) act(endpoint, "republish", null, null, "order-2", null))
				.redrive();
			assertThat(redriven.republished()).isEqualTo(1);
			assertThat(redriven.stop()).isEqualTo(RedriveResult.Stop.COUNT_REACHED);
			await().atMost(TIMEOUT).until(() -> listener.invocations.count() == invocations + 1);
			assertThat(new String(listener.messages.get(invocations).getBody(), StandardCharsets.UTF_8))
				.isEqualTo(orderJson(2, -1));
			String hashed = page(endpoint, 4).get(1).id();
			DeleteDescriptor deleted = (DeleteDescriptor) act(endpoint, "delete", null, null, hashed, null);
			assertThat(deleted.delete().deleted()).isEqualTo(1);
			assertThat(bodies(endpoint)).containsExactly(before.get(0), before.get(3), before.get(4));
			DeleteDescriptor missing = (DeleteDescriptor) act(endpoint, "delete", null, null, "order-2", null);
			assertThat(missing.delete().deleted()).isZero();
			assertThat(missing.delete().skipped()).isEqualTo(3);
			assertThat(this.broker.depth(this.queue + ".dead")).isEqualTo(3);
		});
	}

	@Test
	void redrivesOneGroupToTheHandlerAndDeletesAnotherWhileTheRestStayInOrder() {
		runner().run((context) -> {
			deadLetterFive();
			publishOrder(6, -1, "order-6");
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 6);
			OrdersListener listener = context.getBean(OrdersListener.class);
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			int invocations = listener.invocations.count();
			RedriveResult redriven = ((RedriveDescriptor) act(endpoint, "republish", null, groupId(endpoint, BOOM),
					null, null))
				.redrive();
			assertThat(redriven.republished()).isEqualTo(2);
			assertThat(redriven.skipped()).isEqualTo(4);
			// Their failures are spent: the handler takes both this time.
			await().atMost(TIMEOUT).until(() -> listener.invocations.count() == invocations + 2);
			assertThat(bodies(endpoint)).containsExactly(orderJson(1, -1), orderJson(2, -1), orderJson(3, -1),
					orderJson(6, -1));
			DeleteDescriptor deleted = (DeleteDescriptor) act(endpoint, "delete", null, groupId(endpoint, INVALID),
					null, null);
			assertThat(deleted.delete().deleted()).isEqualTo(4);
			assertThat(this.broker.depth(this.queue + ".dead")).isZero();
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 0);
			Events events = context.getBean(Events.class);
			assertThat(events.of(HareRedriveDoneEvent.class)).singleElement()
				.satisfies((done) -> assertThat(done.getResult().republished()).isEqualTo(2));
			assertThat(events.of(HareDeadLettersPurgedEvent.class)).singleElement()
				.satisfies((purged) -> assertThat(purged.getCount()).isEqualTo(4));
		});
	}

	@Test
	void refusesAmbiguousOrIncompleteRequestsAsBadRequests() {
		runner().run((context) -> {
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> act(endpoint, "delete", null, null, null, null))
				.withMessageContaining("purge");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> act(endpoint, "republish", null, "abc", "order-1", null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> act(endpoint, "messages", 1000, null, null, null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> act(endpoint, "messages", null, null, null, -1));
		});
	}

	private static Object act(HareEndpoint endpoint, String action, Integer count, String group, String id,
			Integer offset) {
		return endpoint.operate("orders", action, null, count, null, group, id, offset);
	}

	private static String groupId(HareEndpoint endpoint, String exception) {
		return ((DeadLetterGroupsDescriptor) act(endpoint, "groups", null, null, null, null)).deadLetters()
			.groups()
			.stream()
			.filter((group) -> exception.equals(group.exception()))
			.findFirst()
			.orElseThrow()
			.id();
	}

	private static List<FailedMessage> page(HareEndpoint endpoint, int count) {
		return ((DeadLetterPageDescriptor) act(endpoint, "messages", count, null, null, null)).deadLetters().messages();
	}

	/**
	 * The bodies of the dead letters, in queue order, as a peek sees them.
	 */
	private static List<String> bodies(HareEndpoint endpoint) {
		return ((DeadLettersDescriptor) endpoint.operate("orders", "peek", null, 100, null, null, null, null))
			.deadLetters()
			.stream()
			.map(DeadLetter::body)
			.toList();
	}

}
