package io.hare.sample.operations;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hare.sample.OrderCreated;
import io.hare.sample.OrderListener;
import io.hare.sample.PaymentListener;
import io.hare.publish.HarePublisher;
import io.hare.sample.PaymentRequested;
import io.hare.sample.SampleBroker;
import io.hare.sample.publish.Receipt;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample on a real port against the real broker, sends it a known batch of orders,
 * payments and receipts (one a duplicate), and checks the numbers {@code /actuator/hare}, {@code /actuator/prometheus} and
 * {@code /actuator/health} report over HTTP, then redrives and purges a dead letter through
 * the endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.traffic.enabled=false", "hare.listeners.payments.retry.delays=100ms,200ms",
				"hare.metrics.queue-depth-ttl=0s" })
@ContextConfiguration(initializers = SampleBroker.class)
@DirtiesContext
class HareSampleOperationsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = new JsonMapper();

	@LocalServerPort
	private int port;

	@Autowired
	private RabbitTemplate rabbitTemplate;

	@Autowired
	private OrderListener orders;

	@Autowired
	private PaymentListener payments;

	@Autowired
	@Qualifier("receipts")
	private HarePublisher receipts;

	@Autowired
	private BrokerFixture broker;

	@Value("${sample.prefix}")
	private String prefix;

	@Test
	void reportsRealNumbersOverHttpAndRedrivesAndPurgesDeadLetters() throws Exception {
		for (int i = 1; i <= 5; i++) {
			this.rabbitTemplate.convertAndSend(this.prefix + ".shop", "order.created", new OrderCreated(i, "book", 1));
		}
		this.rabbitTemplate.convertAndSend(this.prefix + ".shop", "payment.requested",
				new PaymentRequested(1, 1, new BigDecimal("9.90")));
		this.rabbitTemplate.convertAndSend(this.prefix + ".shop", "payment.requested",
				new PaymentRequested(2, 2, new BigDecimal("-1")));
		assertThat(this.receipts.publish(new Receipt(1, new BigDecimal("9.90"))).isPublished()).isTrue();
		assertThat(this.receipts.publish(new Receipt(1, new BigDecimal("9.90"))).isDuplicate()).isTrue();
		await().atMost(TIMEOUT).until(() -> this.orders.handled() == 5 && this.payments.taken() == 1);
		await().atMost(TIMEOUT)
			.until(() -> get("/actuator/hare/payments").path("depth").path("deadLetters").asLong() == 1);

		JsonNode hare = get("/actuator/hare");
		JsonNode ordersListener = hare.path("listeners").path("orders");
		assertThat(ordersListener.path("queue").asString()).isEqualTo(this.prefix + ".orders");
		assertThat(ordersListener.path("state").asString()).isEqualTo("running");
		assertThat(ordersListener.path("consumers").path("desired").asInt()).isEqualTo(2);
		assertThat(ordersListener.path("counts").path("processed").asLong()).isEqualTo(5);
		JsonNode paymentsListener = hare.path("listeners").path("payments");
		assertThat(paymentsListener.path("counts").path("processed").asLong()).isEqualTo(1);
		assertThat(paymentsListener.path("counts").path("retried").asLong()).isEqualTo(3);
		assertThat(paymentsListener.path("counts").path("deadLettered").asLong()).isEqualTo(1);
		assertThat(paymentsListener.path("retry").path("delays").toString()).isEqualTo("[\"100ms\",\"200ms\"]");
		JsonNode receiptsPublisher = hare.path("publishers").path("receipts");
		assertThat(receiptsPublisher.path("exchange").asString()).isEqualTo(this.prefix + ".shop");
		assertThat(receiptsPublisher.path("dedup").path("keys").asString()).contains("orderId");
		assertThat(receiptsPublisher.path("counts").path("published").asLong()).isEqualTo(1);
		assertThat(receiptsPublisher.path("counts").path("duplicate").asLong()).isEqualTo(1);
		assertThat(hare.path("connections").path("default").path("connected").asBoolean()).isTrue();
		assertThat(hare.toString()).doesNotContain("password");

		String prometheus = getText("/actuator/prometheus");
		assertThat(sample(prometheus, "hare_messages_consumed_total", "listener=\"orders\"", "outcome=\"success\""))
			.isEqualTo(5);
		assertThat(sample(prometheus, "hare_messages_consumed_total", "listener=\"payments\"",
				"outcome=\"dead-lettered\"", "exception=\"java.lang.IllegalStateException\"")).isEqualTo(1);
		assertThat(sample(prometheus, "hare_retries_total", "listener=\"payments\"", "attempt=\"3\"")).isEqualTo(1);
		assertThat(sample(prometheus, "hare_dead_letter_depth", "listener=\"payments\"")).isEqualTo(1);
		assertThat(sample(prometheus, "hare_messages_published_total", "publisher=\"receipts\"",
				"outcome=\"published\"")).isEqualTo(1);
		assertThat(sample(prometheus, "hare_messages_published_total", "publisher=\"receipts\"",
				"outcome=\"duplicate\"")).isEqualTo(1);
		assertThat(sample(prometheus, "hare_handler_duration_seconds_count", "listener=\"orders\"",
				"outcome=\"success\"")).isEqualTo(5);

		JsonNode health = get("/actuator/health");
		assertThat(health.path("components").path("hare").path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("hare").path("details").path("listeners").path("payments")
			.path("deadLetters").asLong()).isEqualTo(1);

		JsonNode peeked = post("/actuator/hare/payments", "{\"action\":\"peek\",\"count\":5}");
		assertThat(peeked.path("deadLetters")).hasSize(1);
		assertThat(peeked.path("deadLetters").get(0).path("exception").asString())
			.isEqualTo(IllegalStateException.class.getName());
		assertThat(peeked.path("deadLetters").get(0).path("attempt").asInt()).isEqualTo(4);
		assertThat(peeked.path("deadLetters").get(0).path("body").asString()).contains("\"amount\":-1");

		JsonNode redrive = post("/actuator/hare/payments",
				"{\"action\":\"republish\",\"exception\":\"IllegalStateException\"}");
		assertThat(redrive.path("redrive").path("republished").asInt()).isEqualTo(1);
		// Refused again on every attempt, the payment climbs the retries once more and is back.
		await().atMost(TIMEOUT)
			.until(() -> get("/actuator/hare/payments").path("counts").path("deadLettered").asLong() == 2);
		await().atMost(TIMEOUT)
			.until(() -> get("/actuator/hare/payments").path("depth").path("deadLetters").asLong() == 1);
		assertThat(this.broker.depth(this.prefix + ".payments")).isZero();

		JsonNode purge = post("/actuator/hare/payments", "{\"action\":\"purge\"}");
		assertThat(purge.path("purged").asInt()).isEqualTo(1);
		assertThat(this.broker.depth(this.prefix + ".payments.dead")).isZero();
	}

	private JsonNode get(String path) throws Exception {
		return this.json.readTree(getText(path));
	}

	private String getText(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
		return response.body();
	}

	private JsonNode post(String path, String body) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("POST " + path + " " + body + ": " + response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	/**
	 * Return the value of the Prometheus sample of the given name whose labels include all
	 * the given ones.
	 */
	private static double sample(String prometheus, String name, String... labels) {
		Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
		Matcher matcher = line.matcher(prometheus);
		while (matcher.find()) {
			String found = matcher.group(1);
			boolean all = true;
			for (String label : labels) {
				all &= found.contains(label);
			}
			if (all) {
				return Double.parseDouble(matcher.group(2));
			}
		}
		throw new AssertionError("No sample " + name + " with " + String.join(", ", labels) + " in:\n" + prometheus);
	}

}
