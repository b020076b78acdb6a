package io.hare.sample.operations;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.hare.sample.SampleBroker;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations page in headless Chromium when the {@code hare} endpoint is read-only: it
 * shows the listeners, disables every button and says why.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.traffic.enabled=false", "management.endpoint.hare.access=read-only" })
@ContextConfiguration(initializers = SampleBroker.class)
@DirtiesContext
class HareOperationsPageReadOnlyIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Test
	void disablesEveryButtonAndSaysWhyWhenTheEndpointIsReadOnly() {
		try (HeadlessChromium chromium = new HeadlessChromium(1440, 900)) {
			WebDriver driver = chromium.driver();
			driver.get("http://localhost:" + this.port + "/hare");
			WebDriverWait wait = chromium.waiting(TIMEOUT);
			WebElement access = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("access")));
			assertThat(access.getText()).contains("read-only", "management.endpoint.hare.access=unrestricted");
			WebElement orders = driver.findElement(By.cssSelector("#listeners tr[data-listener='orders']"));
			wait.until((browser) -> orders.findElement(By.cssSelector("[data-field='state']")).getText().equals("running"));
			assertThat(orders.findElements(By.cssSelector("button[data-action]"))).hasSize(2)
				.allSatisfy((button) -> assertThat(button.isEnabled()).as(button.getText()).isFalse());
			assertThat(orders.findElement(By.cssSelector("[data-field='scale-input']")).isEnabled()).isFalse();
			assertThat(driver.findElement(By.id("redrive-all")).isEnabled()).isFalse();
			assertThat(driver.findElement(By.id("groups-refresh")).isEnabled()).isFalse();
			assertThat(driver.findElement(By.id("groups-summary")).getText()).contains("needs write access");
			chromium.screenshot(Path.of("target", "hare-operations-page-read-only.png"));
		}
	}

}
