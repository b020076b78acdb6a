package io.hare.actuate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.hare.actuate.HareEndpoint.DeadLettersDescriptor;
import io.hare.actuate.HareEndpoint.HareDescriptor;
import io.hare.actuate.HareEndpoint.ListenerDescriptor;
import io.hare.actuate.HareEndpoint.PurgeDescriptor;
import io.hare.actuate.HareEndpoint.RedriveDescriptor;
import io.hare.actuate.HareOperationsTestSupport.Events;
import io.hare.actuate.HareOperationsTestSupport.OrdersListener;
import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.event.HareDeadLettersPurgedEvent;
import io.hare.event.HareListenerPausedEvent;
import io.hare.event.HareListenerResumedEvent;
import io.hare.event.HareListenerScaledEvent;
import io.hare.event.HareRedriveDoneEvent;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.RedriveResult;
import io.hare.test.BrokerFixture;
import io.hare.test.RabbitBroker;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.convert.support.ConfigurableConversionService;

import static io.hare.actuate.HareOperationsTestSupport.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link HareEndpoint} on a running listener and the real broker: what it reads after real
 * traffic, and its write operations.
 */
class HareEndpointIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("ops");

	private final String exchange = this.broker.exchange("ops");

	private ApplicationContextRunner runner() {
		return HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange);
	}

	private void publishOrder(int id, int failures) {
		this.broker.publishJson(this.exchange, "order.created", orderJson(id, failures));
	}

	@Test
	void readsTheListenerWithItsSettingsDepthsAndCountsAfterRealTraffic() {
		runner().run((context) -> {
			OrdersListener listener = context.getBean(OrdersListener.class);
			publishOrder(1, 0);
			publishOrder(2, 0);
			publishOrder(3, 1);
			publishOrder(4, -1);
			await().atMost(TIMEOUT).until(() -> listener.invocations.count() == 5);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 1);
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			await().atMost(TIMEOUT).untilAsserted(
					() -> assertThat(endpoint.listener("orders").counts().processed()).isEqualTo(3));
			ListenerDescriptor orders = endpoint.hare().listeners().get("orders");
			assertThat(orders.queue()).isEqualTo(this.queue);
			assertThat(orders.exchange()).isEqualTo(this.exchange);
			assertThat(orders.routingKeys()).containsExactly("order.created");
			assertThat(orders.queueType()).isEqualTo("classic");
			assertThat(orders.connection()).isEqualTo("default");
			assertThat(orders.state()).isEqualTo("running");
			assertThat(orders.consumers().active()).isEqualTo(1);
			assertThat(orders.consumers().desired()).isEqualTo(1);
			assertThat(orders.retry().limit()).isEqualTo(1);
			assertThat(orders.retry().delays()).containsExactly("200ms");
			assertThat(orders.retry().nonRetryable()).containsExactly(IllegalArgumentException.class.getName());
			assertThat(orders.deadLetterQueue()).isEqualTo(this.queue + ".dead");
			assertThat(orders.depth().queue()).isZero();
			assertThat(orders.depth().deadLetters()).isEqualTo(1);
			assertThat(orders.counts().processed()).isEqualTo(3);
			assertThat(orders.counts().retried()).isEqualTo(1);
			assertThat(orders.counts().deadLettered()).isEqualTo(1);
			assertThat(orders.counts().decodeFailed()).isZero();
			assertThat(endpoint.listener("nope")).isNull();
		});
	}

	@Test
	void readsConnectionsWithoutTheirPasswordAndSerializesToJson() {
		runner().run((context) -> {
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(endpoint.hare().connections().get("default").connected()).isTrue());
			HareDescriptor hare = endpoint.hare();
			assertThat(hare.connections().get("default").port()).isEqualTo(this.broker.broker().port());
			assertThat(hare.connections().get("default").username()).isEqualTo(this.broker.broker().username());
			assertThat(hare.connections().get("default").address()).endsWith(":" + this.broker.broker().port());
			String json = new JsonMapper().writeValueAsString(hare);
			assertThat(json).contains("\"orders\"").contains("\"deadLetters\"").doesNotContain("password");
		});
	}

	@Test
	void neverShowsThePasswordOfAConnectionUri() {
		String user = "hare-mask-" + UUID.randomUUID().toString().substring(0, 8);
		String password = "s3cret-" + UUID.randomUUID();
		RabbitBroker rabbit = this.broker.broker();
		rabbit.ctl("add_user", user, password);
		try {
			rabbit.ctl("set_permissions", "-p", rabbit.virtualHost(), user, ".*", ".*", ".*");
			String uri = "amqp://" + user + ":" + password + "@" + rabbit.host() + ":" + rabbit.port();
			new ApplicationContextRunner().withInitializer(
					(context) -> context.getEnvironment().setConversionService(
							(ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
				.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
						HareOperationsAutoConfiguration.class, EndpointAutoConfiguration.class,
						HareEndpointAutoConfiguration.class))
				.withPropertyValues("spring.rabbitmq.addresses=" + uri, "test.queue=" + this.queue,
						"test.exchange=" + this.exchange, "management.endpoints.web.exposure.include=hare")
				.withUserConfiguration(HareOperationsTestSupport.OrdersConfiguration.class)
				.run((context) -> {
					HareEndpoint endpoint = context.getBean(HareEndpoint.class);
					await().atMost(TIMEOUT).untilAsserted(
							() -> assertThat(endpoint.hare().connections().get("default").connected()).isTrue());
					assertThat(endpoint.hare().connections().get("default").username()).isEqualTo(user);
					String json = new JsonMapper().writeValueAsString(endpoint.hare());
					assertThat(json).contains(user).doesNotContain(password);
					assertThat(endpoint.listener("orders").toString()).doesNotContain(password);
				});
		}
		finally {
			rabbit.ctl("delete_user", user);
		}
	}

	@Test
	void pausesResumesAndScalesAListenerAndPublishesAnEventForEach() {
		runner().run((context) -> {
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
				.getListener("orders")
				.orElseThrow();
			ListenerDescriptor paused = (ListenerDescriptor) endpoint.operate("orders", "pause", null,
					null, null, null, null, null);
			assertThat(paused.state()).isEqualTo("paused");
			assertThat(listener.isRunning()).isFalse();
			publishOrder(10, 0);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 1);
			assertThat(context.getBean(OrdersListener.class).invocations.count()).isZero();
			ListenerDescriptor resumed = (ListenerDescriptor) endpoint.operate("orders", "resume", null,
					null, null, null, null, null);
			assertThat(resumed.state()).isEqualTo("running");
			await().atMost(TIMEOUT).until(() -> context.getBean(OrdersListener.class).invocations.count() == 1);
			endpoint.operate("orders", "scale", 3, null, null, null, null, null);
			await().atMost(TIMEOUT).until(() -> listener.getContainer().getActiveConsumerCount() == 3);
			assertThat(endpoint.listener("orders").consumers().desired()).isEqualTo(3);
			ListenerDescriptor checked = (ListenerDescriptor) endpoint.operate("orders", "check", null, null, null,
					null, null, null);
			assertThat(checked.consumers().desired()).isEqualTo(3);
			Events events = context.getBean(Events.class);
			assertThat(events.of(HareListenerPausedEvent.class)).hasSize(1);
			assertThat(events.of(HareListenerResumedEvent.class)).hasSize(1);
			assertThat(events.of(HareListenerScaledEvent.class)).singleElement()
				.satisfies((scaled) -> assertThat(List.of(scaled.getPreviousConsumers(), scaled.getConsumers()))
					.containsExactly(1, 3));
		});
	}

	@Test
	void peeksRepublishesByExceptionAndPurgesDeadLetters() {
		runner().run((context) -> {
			OrdersListener listener = context.getBean(OrdersListener.class);
			publishOrder(20, -1);
			publishOrder(21, -1);
			publishOrder(22, 5);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 3);
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			DeadLettersDescriptor peeked = (DeadLettersDescriptor) endpoint.operate("orders", "peek", null, 2, null, null, null, null);
			assertThat(peeked.deadLetters()).hasSize(2)
				.allSatisfy((deadLetter) -> assertThat(deadLetter.exception())
					.isEqualTo(IllegalArgumentException.class.getName()));
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 3);
			listener.rejectInvalid = false;
			int before = listener.invocations.count();
			RedriveDescriptor redrive = (RedriveDescriptor) endpoint.operate("orders", "republish", null, null,
					"IllegalArgumentException", null, null, null);
			assertThat(redrive.redrive().republished()).isEqualTo(2);
			assertThat(redrive.redrive().skipped()).isEqualTo(1);
			await().atMost(TIMEOUT).until(() -> listener.invocations.count() == before + 2);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 1);
			assertThat(listener.messages.subList(before, before + 2))
				.allSatisfy((message) -> assertThat(message.getMessageProperties().getHeaders())
					.doesNotContainKey("x-hare-attempt"));
			PurgeDescriptor purge = (PurgeDescriptor) endpoint.operate("orders", "purge", null,
					null, null, null, null, null);
			assertThat(purge.purged()).isEqualTo(1);
			assertThat(this.broker.depth(this.queue + ".dead")).isZero();
			Events events = context.getBean(Events.class);
			assertThat(events.of(HareRedriveDoneEvent.class)).singleElement()
				.satisfies((done) -> assertThat(done.getResult().stop()).isNotEqualTo(RedriveResult.Stop.FAILED));
			assertThat(events.of(HareDeadLettersPurgedEvent.class)).singleElement()
				.satisfies((purged) -> assertThat(purged.getCount()).isEqualTo(1));
		});
	}

	@Test
	void refusesAnUnknownActionOrListenerAsABadRequest() {
		runner().run((context) -> {
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("orders", "explode", null, null, null, null, null, null))
				.withMessageContaining("explode");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("nope", "pause", null, null, null, null, null, null))
				.withMessageContaining("nope");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("orders", "scale", 0, null, null, null, null, null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("orders", "peek", null, 1000, null, null, null, null));
			assertThat(context.getBean(HareListenerRegistry.class).getListener("orders").orElseThrow().getDesiredConsumers())
				.isEqualTo(1);
		});
	}

}
