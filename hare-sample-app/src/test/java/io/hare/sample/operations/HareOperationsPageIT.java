package io.hare.sample.operations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.hare.listener.HareListener;
import io.hare.sample.SampleBroker;
import io.hare.test.BrokerFixture;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations page in headless Chromium against the sample on a real port and the real
 * broker: a listener dead-letters messages of two exception types, the page shows its row and
 * both groups, redrives one group to the handler and deletes the other, each after a
 * confirmation; a screenshot is saved to {@code target/hare-operations-page.png} on every run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.traffic.enabled=false")
@ContextConfiguration(initializers = SampleBroker.class)
@DirtiesContext
class HareOperationsPageIT {

	static final Path SCREENSHOT = Path.of("target", "hare-operations-page.png");

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String INVALID = IllegalArgumentException.class.getName();

	private static final String TIMED_OUT = IllegalStateException.class.getName();

	private static HeadlessChromium chromium;

	@LocalServerPort
	private int port;

	@Autowired
	private BrokerFixture broker;

	@Autowired
	private Ledger ledger;

	@Value("${sample.prefix}.ledger")
	private String queue;

	@BeforeAll
	static void startChromium() {
		chromium = new HeadlessChromium(1366, 1280);
	}

	@AfterAll
	static void stopChromium() {
		if (chromium != null) {
			chromium.close();
		}
	}

	@Test
	void showsAListenersFailedMessagesAndRedrivesOneGroupAndDeletesAnother() {
		this.broker.track(this.queue);
		for (int id = 1; id <= 3; id++) {
			this.broker.publishJson("", this.queue, "{\"id\":" + id + ",\"kind\":\"invalid\"}");
		}
		for (int id = 4; id <= 5; id++) {
			this.broker.publishJson("", this.queue, "{\"id\":" + id + ",\"kind\":\"slow\"}");
		}
		await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 5);

		chromium.driver().get("http://localhost:" + this.port + "/hare");
		WebDriverWait wait = chromium.waiting(TIMEOUT);
		WebElement row = wait.until(ExpectedConditions
			.presenceOfElementLocated(By.cssSelector("#listeners tr[data-listener='ledger']")));
		wait.until((driver) -> field(row, "state").getText().equals("running"));
		assertThat(field(row, "queue-name").getText()).isEqualTo(this.queue);
		assertThat(field(row, "consumers").getText()).isEqualTo("1/1");
		wait.until((driver) -> field(row, "dead").getText().equals("5"));
		assertThat(chromium.driver().findElement(By.id("access")).isDisplayed()).isFalse();

		field(row, "dead").findElement(By.tagName("button")).click();
		wait.until((driver) -> count(INVALID).equals("3") && count(TIMED_OUT).equals("2"));
		assertThat(chromium.driver().findElements(By.cssSelector("#groups tbody tr"))).hasSize(2);
		wait.until((driver) -> group(TIMED_OUT).getText().contains("ledger timed out after {n} ms for invoice {n}"));

		this.ledger.recovered = true;
		click(TIMED_OUT, "Redrive group");
		confirm("Redrive every dead letter in group IllegalStateException");
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("report"),
				"Redrove 2 dead letters of group IllegalStateException"));
		wait.until((driver) -> driver.findElements(By.cssSelector("#groups tbody tr")).size() == 1);
		await().atMost(TIMEOUT).until(() -> this.ledger.handled.size() == 2);
		assertThat(this.ledger.handled).containsExactlyInAnyOrder(4, 5);
		wait.until((driver) -> field(row, "dead").getText().equals("3"));

		click(INVALID, "Show messages");
		wait.until((driver) -> driver.findElements(By.cssSelector("#messages > li")).size() == 3);
		assertThat(chromium.driver().findElement(By.id("page-position")).getText()).isEqualTo("1–3 of 3");
		chromium.driver().executeScript("window.scrollTo(0, 0)");
		chromium.screenshot(SCREENSHOT);
		WebElement first = chromium.driver().findElement(By.cssSelector("#messages > li"));
		first.findElement(By.tagName("summary")).click();
		assertThat(first.findElement(By.cssSelector("pre.body")).getText()).contains("\"kind\" : \"invalid\"");
		assertThat(first.getText()).contains("x-hare-exception", "invalid invoice 1");

		// Asked to confirm, the operator changes their mind with the keyboard: nothing happens.
		click(INVALID, "Delete group");
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
		new Actions(chromium.driver()).sendKeys(Keys.ESCAPE).perform();
		wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
		assertThat(this.broker.depth(this.queue + ".dead")).isEqualTo(3);

		click(INVALID, "Delete group");
		confirm("Delete every dead letter in group IllegalArgumentException");
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("report"),
				"Deleted 3 dead letters of group IllegalArgumentException"));
		wait.until((driver) -> driver.findElements(By.cssSelector("#groups tbody tr")).isEmpty());
		assertThat(this.broker.depth(this.queue + ".dead")).isZero();
		assertThat(this.ledger.handled).hasSize(2);
		List<LogEntry> errors = chromium.driver()
			.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.toList();
		assertThat(errors).as("errors in the browser console").isEmpty();
	}

	private void confirm(String text) {
		WebDriverWait wait = chromium.waiting(TIMEOUT);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
		assertThat(chromium.driver().findElement(By.id("confirm-text")).getText()).contains(text);
		chromium.driver().findElement(By.id("confirm-ok")).click();
	}

	private static WebElement field(WebElement row, String name) {
		return row.findElement(By.cssSelector("[data-field='" + name + "']"));
	}

	private static WebElement group(String exception) {
		return chromium.driver().findElement(By.cssSelector("#groups tr[data-exception='" + exception + "']"));
	}

	private static String count(String exception) {
		List<WebElement> rows = chromium.driver()
			.findElements(By.cssSelector("#groups tr[data-exception='" + exception + "']"));
		return rows.isEmpty() ? "" : field(rows.get(0), "count").getText();
	}

	/**
	 * Click a button of a group's row, found afresh if the row was drawn again meanwhile.
	 */
	private static void click(String exception, String button) {
		chromium.waiting(TIMEOUT).until((driver) -> {
			group(exception).findElement(By.xpath(".//button[normalize-space()='" + button + "']")).click();
			return true;
		});
	}

	/**
	 * An invoice the ledger refuses: {@code invalid} ones at once, {@code slow} ones until it
	 * has {@link Ledger#recovered recovered}.
	 */
	record Invoice(int id, String kind) {
	}

	static class Ledger {

		final List<Integer> handled = new CopyOnWriteArrayList<>();

		volatile boolean recovered;

		@HareListener(id = "ledger", queue = "${sample.prefix}.ledger",
				nonRetryable = { IllegalArgumentException.class, IllegalStateException.class })
		void onInvoice(Invoice invoice) {
			if (invoice.kind().equals("invalid")) {
				throw new IllegalArgumentException("invalid invoice " + invoice.id());
			}
			if (!this.recovered) {
				throw new IllegalStateException("ledger timed out after 3000 ms for invoice " + invoice.id());
			}
			this.handled.add(invoice.id());
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class LedgerConfiguration {

		@Bean
		Ledger ledger() {
			return new Ledger();
		}

	}

}
