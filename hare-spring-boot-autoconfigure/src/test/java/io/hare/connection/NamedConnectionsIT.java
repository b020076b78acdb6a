package io.hare.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishRequest;
import io.hare.publish.PublishResult;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;
import io.hare.test.RabbitBroker;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Named connections ({@code hare.connections.<name>}) against the real broker: two virtual
 * hosts kept apart, credentials kept out of logs and exceptions, and publishing across a
 * connection the broker closes.
 */
@ExtendWith(OutputCaptureExtension.class)
class NamedConnectionsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final RabbitBroker rabbit = RabbitBroker.get();

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final List<String> virtualHosts = new ArrayList<>();

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void deleteVirtualHosts() {
		this.virtualHosts.forEach((virtualHost) -> this.rabbit.ctl("delete_vhost", virtualHost));
	}

	private String virtualHost(String prefix) {
		String name = "hare-test-" + prefix + "-" + this.suffix;
		this.rabbit.ctl("add_vhost", name);
		this.virtualHosts.add(name);
		this.rabbit.ctl("set_permissions", "-p", name, this.rabbit.username(), ".*", ".*", ".*");
		return name;
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class))
			.withPropertyValues(this.rabbit.springProperties());
	}

	private String[] connection(String name, String virtualHost) {
		String prefix = "hare.connections." + name + ".";
		return new String[] { prefix + "host=" + this.rabbit.host(), prefix + "port=" + this.rabbit.port(),
				prefix + "username=" + this.rabbit.username(), prefix + "password=" + this.rabbit.password(),
				prefix + "virtual-host=" + virtualHost };
	}

	@Test
	void listenersAndPublishersStayInTheVirtualHostOfTheirConnection() {
		String alpha = virtualHost("alpha");
		String beta = virtualHost("beta");
		// The same queue and exchange names in both virtual hosts: only the connection tells them apart.
		String queue = "hare-test-vhost-queue-" + this.suffix;
		String exchange = "hare-test-vhost-exchange-" + this.suffix;
		String betaUri = "amqp://" + this.rabbit.username() + ":" + this.rabbit.password() + "@" + this.rabbit.host()
				+ ":" + this.rabbit.port() + "/" + beta;
		runner().withPropertyValues(connection("alpha", alpha))
			.withPropertyValues("hare.connections.beta.uri=" + betaUri)
			.withPropertyValues("hare.publishers.to-alpha.connection=alpha", "hare.publishers.to-alpha.exchange=" + exchange,
					"hare.publishers.to-alpha.routing-key=greeting", "hare.publishers.to-beta.connection=beta",
					"hare.publishers.to-beta.exchange=" + exchange, "hare.publishers.to-beta.routing-key=greeting")
			.withPropertyValues("test.queue=" + queue, "test.exchange=" + exchange)
			.withUserConfiguration(TwoVirtualHostsConfiguration.class)
			.run((context) -> {
				HareConnections connections = context.getBean(HareConnections.class);
				assertThat(connections.asMap()).containsOnlyKeys(HareConnection.DEFAULT, "alpha", "beta");
				assertThat(connections.get("beta").getConnectionFactory().getVirtualHost()).isEqualTo(beta);
				context.getBean("to-alpha", HarePublisher.class).publish("for alpha");
				context.getBean("to-beta", HarePublisher.class).publish("for beta");
				TwoVirtualHostsListener listener = context.getBean(TwoVirtualHostsListener.class);
				await().atMost(TIMEOUT).until(() -> listener.alpha.count() == 1 && listener.beta.count() == 1);
				assertThat(listener.alpha.payloads()).containsExactly("for alpha");
				assertThat(listener.beta.payloads()).containsExactly("for beta");
				assertThat(this.rabbit.ctl("list_queues", "-p", alpha, "name")).contains(queue);
				assertThat(this.rabbit.ctl("list_queues", "-p", beta, "name")).contains(queue);
				assertThat(this.rabbit.ctl("list_queues", "name")).doesNotContain(queue);
			});
	}

	@Test
	void credentialsNeverAppearInLogsOrExceptions(CapturedOutput output) {
		String secret = "s3cret-" + this.suffix;
		String exchange = this.broker.exchange("secret");
		runner()
			.withPropertyValues("hare.connections.wrong.uri=amqp://" + this.rabbit.username() + ":" + secret + "@"
					+ this.rabbit.host() + ":" + this.rabbit.port() + "/%2F")
			.withPropertyValues("hare.publishers.leaky.connection=wrong", "hare.publishers.leaky.exchange=" + exchange)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HarePublisher publisher = context.getBean("leaky", HarePublisher.class);
				assertThatExceptionOfType(HarePublishException.class).isThrownBy(() -> publisher.publish("hello"))
					.satisfies((ex) -> {
						assertThat(ex.getReason()).isEqualTo(HarePublishException.Reason.CONNECTION_FAILED);
						assertThat(ex.getMessage()).doesNotContain(secret);
					});
				HareConnection wrong = context.getBean(HareConnections.class).get("wrong");
				assertThat(wrong.toString()).contains("wrong").doesNotContain(secret);
				assertThat(publisher.toString()).doesNotContain(secret);
			});
		assertThat(output).contains("ACCESS_REFUSED").doesNotContain(secret);
	}

	@Test
	void publishingAcrossAConnectionTheBrokerClosesNeverLosesAConfirmedMessage() {
		String name = "flaky" + this.suffix;
		String queue = this.broker.queue("flaky");
		String exchange = this.broker.exchange("flaky");
		runner().withPropertyValues(connection(name, this.rabbit.virtualHost()))
			.withPropertyValues("hare.publishers.flaky.connection=" + name, "hare.publishers.flaky.exchange=" + exchange,
					"hare.publishers.flaky.routing-key=flaky")
			.run((context) -> {
				this.broker.admin().declareQueue(QueueBuilder.durable(queue).build());
				this.broker.admin()
					.declareBinding(new Binding(queue, Binding.DestinationType.QUEUE, exchange, "flaky", null));
				HarePublisher publisher = context.getBean("flaky", HarePublisher.class);
				Set<String> confirmed = ConcurrentHashMap.newKeySet();
				Set<String> failed = ConcurrentHashMap.newKeySet();
				Map<HarePublishException.Reason, AtomicInteger> reasons = new ConcurrentHashMap<>();
				AtomicInteger unexpected = new AtomicInteger();
				publisher.publish("warm-up");
				List<String> pids = connectionPids("hare:" + name);
				CompletableFuture<Void> close = CompletableFuture.allOf(pids.stream()
					.map((pid) -> CompletableFuture.runAsync(() -> this.rabbit.ctl("close_connection", pid, "hare test")))
					.toArray(CompletableFuture[]::new));
				int attempts = 0;
				int afterClose = 0;
				// Batches of ten in flight, until the connection was closed and 100 more went out.
				while (afterClose < 100 && attempts < 20_000) {
					List<CompletableFuture<PublishResult>> batch = new ArrayList<>();
					for (int i = 0; i < 10; i++) {
						String id = "m-" + attempts++;
						batch.add(publisher.publishAsync(PublishRequest.of(id).messageId(id)).whenComplete((result, ex) -> {
							if (result != null) {
								confirmed.add(id);
							}
							else if (ex instanceof HarePublishException publishException) {
								failed.add(id);
								reasons.computeIfAbsent(publishException.getReason(), (reason) -> new AtomicInteger())
									.incrementAndGet();
							}
							else {
								unexpected.incrementAndGet();
							}
						}));
					}
					CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).exceptionally((ex) -> null)
						.get(30, TimeUnit.SECONDS);
					afterClose += close.isDone() ? 10 : 0;
				}
				close.get(30, TimeUnit.SECONDS);
				Set<String> arrived = new HashSet<>();
				Message message;
				while ((message = this.broker.receive(queue, Duration.ofSeconds(1))) != null) {
					arrived.add(message.getMessageProperties().getMessageId());
				}
				System.out.printf("closed-connection run: %d attempts, %d confirmed, %d failed %s, %d arrived%n",
						attempts, confirmed.size(), failed.size(), reasons, arrived.size());
				assertThat(unexpected).as("outcomes other than a result or HarePublishException").hasValue(0);
				assertThat(confirmed.size() + failed.size()).as("every attempt has an outcome").isEqualTo(attempts);
				assertThat(arrived).as("every confirmed message arrived").containsAll(confirmed);
				assertThat(confirmed).as("publishing recovered after the close")
					.contains("m-" + (attempts - 1));
			});
	}

	private List<String> connectionPids(String connectionName) {
		List<String> pids = this.rabbit.ctl("list_connections", "pid", "client_properties")
			.lines()
			.filter((line) -> line.contains("\"" + connectionName))
			.map((line) -> line.substring(0, line.indexOf('\t')))
			.toList();
		assertThat(pids).as("connections named %s", connectionName).isNotEmpty();
		return pids;
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoVirtualHostsConfiguration {

		@Bean
		TwoVirtualHostsListener twoVirtualHostsListener() {
			return new TwoVirtualHostsListener();
		}

	}

	static class TwoVirtualHostsListener {

		final Invocations alpha = new Invocations();

		final Invocations beta = new Invocations();

		@HareListener(id = "alpha", connection = "alpha", queue = "${test.queue}", exchange = "${test.exchange}",
				routingKey = "greeting")
		void onAlpha(String greeting) {
			this.alpha.record(greeting);
		}

		@HareListener(id = "beta", connection = "beta", queue = "${test.queue}", exchange = "${test.exchange}",
				routingKey = "greeting")
		void onBeta(String greeting) {
			this.beta.record(greeting);
		}

	}

}
