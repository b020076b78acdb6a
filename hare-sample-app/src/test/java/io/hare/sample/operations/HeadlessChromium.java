package io.hare.sample.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Level;

import io.hare.test.ProjectScripts;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its own ChromeDriver, at fixed paths, so that Selenium
 * Manager never looks for (or downloads) a browser or a driver. Fails, never skips, when they
 * are missing.
 */
final class HeadlessChromium implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private final ChromeDriver driver;

	HeadlessChromium(int width, int height) {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			// Installs Debian's packages where apt and root allow; the check below fails otherwise.
			ProjectScripts.run("ensure-chromium.sh");
		}
		for (Path executable : new Path[] { CHROMIUM, CHROMEDRIVER }) {
			if (!Files.isExecutable(executable)) {
				throw new IllegalStateException(executable + " is missing: the operations page is tested in headless "
						+ "Chromium. Run scripts/ensure-chromium.sh (apt-get install chromium chromium-driver).");
			}
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// No sandbox as root in a container; nothing that phones home.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=" + width + "," + height, "--no-first-run", "--disable-extensions",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-default-apps", "--lang=en-US");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * Wait for a condition; the page draws some parts again as it refreshes, so an element
	 * found a moment ago may be gone: the condition is then tried again.
	 */
	WebDriverWait waiting(Duration timeout) {
		WebDriverWait wait = new WebDriverWait(this.driver, timeout);
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

	/**
	 * Save what the browser shows as a PNG.
	 * @param file where to save it
	 */
	void screenshot(Path file) {
		try {
			Files.createDirectories(file.getParent());
			Files.copy(this.driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot save a screenshot to " + file, ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
