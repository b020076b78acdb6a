package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
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
		// The Spring Cloud Stream contender's auto-configurations are on the class path too: a
		// Hare or plain application must not pay for them.
		return start(configuration, broker, properties, SpringContexts::isStreamAutoConfiguration);
	}

	/**
	 * Start a Spring Cloud Stream application: the binder's auto-configuration runs, Hare's
	 * does not.
	 * @param configuration its configuration class
	 * @param broker the broker
	 * @param properties its own properties
	 * @return the running context, for the caller to close
	 */
	static ConfigurableApplicationContext startStream(Class<?> configuration, BenchmarkOptions.Broker broker,
			Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		// It warns at every start that Kotlin is on the class path (PerfTest brings it) without Jackson's module.
		all.put("logging.level.org.springframework.cloud.function.context.config", "ERROR");
		// Its global error channel logs every failed message with its stack trace; Hare logs one line
		// per retry. The retry scenario fails messages on purpose: neither pays for a stack trace.
		all.put("logging.level.org.springframework.integration.handler.LoggingHandler", "OFF");
		return start(configuration, broker, all, (name) -> name.startsWith("io.hare."));
	}

	private static boolean isStreamAutoConfiguration(String name) {
		return name.startsWith("org.springframework.cloud.") || name.startsWith("org.springframework.boot.integration.")
				|| name.startsWith("org.springframework.boot.reactor.netty.")
				|| name.startsWith("org.springframework.boot.netty.");
	}

	private static ConfigurableApplicationContext start(Class<?> configuration, BenchmarkOptions.Broker broker,
			Map<String, Object> properties, Predicate<String> excluded) {
		List<String> exclusions = new ArrayList<>();
		ImportCandidates.load(AutoConfiguration.class, SpringContexts.class.getClassLoader())
			.getCandidates()
			.stream()
			.filter(excluded)
			.forEach(exclusions::add);
		Map<String, Object> all = new LinkedHashMap<>(broker.springProperties());
		all.put("logging.level.root", "WARN");
		all.put("spring.main.log-startup-info", "false");
		// Hare turns confirms on; the plain contenders get the same connection factory.
		all.put("spring.rabbitmq.publisher-confirm-type", "correlated");
		// No scenario delays messages, and the levels would outlive the run under their shared names.
		all.put("hare.delay.enabled", "false");
		if (!properties.containsKey("spring.datasource.url")) {
			// Only the outbox scenario has a database.
			exclusions.add("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
		}
		all.put("spring.autoconfigure.exclude", String.join(",", exclusions));
		all.putAll(properties);
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.registerShutdownHook(false)
			.properties(all)
			.run();
	}

}
