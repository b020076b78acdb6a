package io.hare.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Spring Boot applications the contenders run in, quietly and against the
 * benchmarks' broker.
 */
final class SpringContexts {

	private SpringContexts() {
	}

	/**
	 * Start an application.
	 * @param configuration its configuration class
	 * @param broker the broker
	 * @param properties its own properties
	 * @return the running context, for the caller to close
	 */
	static ConfigurableApplicationContext start(Class<?> configuration, BenchmarkOptions.Broker broker,
			Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(broker.springProperties());
		all.put("logging.level.root", "WARN");
		all.put("spring.main.log-startup-info", "false");
		// Hare turns confirms on; the plain contenders get the same connection factory.
		all.put("spring.rabbitmq.publisher-confirm-type", "correlated");
		// No scenario delays messages, and the levels would outlive the run under their shared names.
		all.put("hare.delay.enabled", "false");
		if (!properties.containsKey("spring.datasource.url")) {
			// Only the outbox scenario has a database.
			all.put("spring.autoconfigure.exclude",
					"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
		}
		all.putAll(properties);
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.registerShutdownHook(false)
			.properties(all)
			.run();
	}

}
