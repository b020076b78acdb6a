package io.hare.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the project's {@code scripts/ensure-*.sh}, so that {@code mvn -B verify} on a
 * fresh machine starts or installs what a test needs (PostgreSQL, headless Chromium), as the
 * broker lookup starts a local RabbitMQ; a script that fails makes the test fail with its output.
 */
public final class ProjectScripts {

	private ProjectScripts() {
	}

	/**
	 * Run a script of the repository's {@code scripts} folder and wait for it.
	 * @param name the script's file name, such as {@code ensure-postgres.sh}
	 * @throws IllegalStateException if the script is missing, fails or takes over 10 minutes
	 */
	public static synchronized void run(String name) {
		Path script = find(name);
		try {
			Process process = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException(script + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + script, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + script, ex);
		}
	}

	private static Path find(String name) {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			Path candidate = directory.resolve("scripts").resolve(name);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("scripts/" + name + " of the Hare repository not found from "
				+ Path.of("").toAbsolutePath());
	}

}
