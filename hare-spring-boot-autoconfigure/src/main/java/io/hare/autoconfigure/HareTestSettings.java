package io.hare.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.support.TimeScale;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Reads and checks the test-only settings ({@code hare.test.*}) that change what the library
 * does: the time scale and the name prefix.
 */
final class HareTestSettings {

	private static final Log logger = LogFactory.getLog(HareTestSettings.class);

	private HareTestSettings() {
	}

	/**
	 * Return the time scale of {@code hare.test.time-scale}.
	 * @param properties Hare's properties
	 * @return the time scale, {@link TimeScale#NONE} unless set
	 * @throws InvalidConfigurationPropertyValueException if it is not more than 0 and at most 1
	 */
	static TimeScale timeScale(HareProperties properties) {
		double factor = properties.getTest().getTimeScale();
		try {
			return new TimeScale(factor);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("hare.test.time-scale", factor, ex.getMessage());
		}
	}

	/**
	 * Log, once per application, that test settings are in force.
	 * @param properties Hare's properties
	 */
	static void warnIfSet(HareProperties properties) {
		HareProperties.Test test = properties.getTest();
		if (timeScale(properties).isScaling()) {
			logger.warn("hare.test.time-scale is " + test.getTimeScale()
					+ ": every retry delay and delayed delivery is scaled; a setting for tests only");
		}
		if (!test.getNamePrefix().isEmpty()) {
			logger.warn("hare.test.name-prefix is '" + test.getNamePrefix()
					+ "': every listener's and publisher's queue and exchange is renamed; a setting for tests only");
		}
	}

}
