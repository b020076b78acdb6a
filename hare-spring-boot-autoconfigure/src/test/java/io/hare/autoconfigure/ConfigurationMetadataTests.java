package io.hare.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hare.scaling.AutoScalingPolicy;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata {@code spring-boot-configuration-processor} generates at compile time from
 * {@link HareProperties} and {@code additional-spring-configuration-metadata.json}: every key
 * the binder accepts is described, defaults are given and match the code, and the exchange
 * type has hints.
 */
class ConfigurationMetadataTests {

	private final Map<String, JsonNode> properties = new LinkedHashMap<>();

	private final List<JsonNode> hints = new ArrayList<>();

	@BeforeEach
	void readGeneratedMetadata() throws IOException {
		JsonMapper mapper = new JsonMapper();
		for (URL url : Collections.list(
				getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				JsonNode metadata = mapper.readTree(in);
				metadata.path("properties").forEach((property) -> {
					if (property.path("name").asString().startsWith("hare.")) {
						this.properties.put(property.path("name").asString(), property);
					}
				});
				metadata.path("hints").forEach((hint) -> {
					if (hint.path("name").asString().startsWith("hare.")) {
						this.hints.add(hint);
					}
				});
			}
		}
	}

	@Test
	void everyKeyTheBinderAcceptsIsDescribed() {
		List<String> keys = HarePropertyKeys.KEYS;
		assertThat(keys).as("keys the binder accepts").contains("hare.listeners.*.retry.backoff.initial",
				"hare.defaults.queue.name", "hare.publishers.*.dedup.ttl");
		// A listener's keys are described once, by hare.defaults, which has the same type.
		List<String> undescribed = keys.stream()
			.map((key) -> key.replace("hare.listeners.*.", "hare.defaults."))
			.filter((key) -> !key.contains("*"))
			.filter((key) -> !this.properties.containsKey(key)
					|| this.properties.get(key).path("description").asString("").isBlank())
			.toList();
		assertThat(undescribed).as("keys without a description (add javadoc to the field)").isEmpty();
	}

	@Test
	void everyKeyInsideAMapOfPublishersOrConnectionsHasJavadocForTheIde() throws IOException {
		// The processor writes no entries for the values of a map; IDEs describe such keys from
		// the javadoc of the value type's fields, so every one of them must have some.
		String source = Files.readString(Path.of("src/main/java/io/hare/autoconfigure/HareProperties.java"));
		List<String> mapKeys = HarePropertyKeys.KEYS.stream()
			.filter((key) -> key.contains(".*.") && !key.startsWith("hare.listeners."))
			.toList();
		assertThat(mapKeys).as("keys inside maps").contains("hare.publishers.*.routing-key",
				"hare.connections.*.ssl.bundle");
		Matcher fields = Pattern.compile("(\\*/\\s*)?\\n\\t\\tprivate (final )?[\\w<>?,. ]+ (\\w+)( =|;)")
			.matcher(source);
		List<String> undocumented = new ArrayList<>();
		while (fields.find()) {
			if (fields.group(1) == null && mapKeys.stream()
				.anyMatch((key) -> key.endsWith("." + DataObjectPropertyName.toDashedForm(fields.group(3))))) {
				undocumented.add(fields.group(3));
			}
		}
		assertThat(undocumented).as("fields of map value types without javadoc").isEmpty();
	}

	@Test
	void descriptionsAreSentences() {
		assertThat(this.properties.values()).allSatisfy((property) -> assertThat(property.path("description").asString())
			.as(property.path("name").asString())
			.endsWith(".")
			.doesNotContain("{@"));
	}

	@Test
	void defaultsInTheMetadataAreThoseTheResolverApplies() {
		assertThat(defaultOf("hare.defaults.concurrency"))
			.isEqualTo(String.valueOf(ListenerSettingsFactory.DEFAULT_CONCURRENCY));
		assertThat(defaultOf("hare.defaults.retry.limit"))
			.isEqualTo(String.valueOf(RetrySettingsFactory.DEFAULT_RETRY_LIMIT));
		assertThat(duration("hare.defaults.retry.delay")).isEqualTo(RetrySettingsFactory.DEFAULT_RETRY_DELAY);
		assertThat(defaultOf("hare.defaults.exchange-type")).isEqualTo(ListenerSettingsFactory.DEFAULT_EXCHANGE_TYPE);
		assertThat(duration("hare.defaults.retry.backoff.initial"))
			.isEqualTo(RetrySettingsFactory.DEFAULT_BACKOFF_INITIAL);
		assertThat(Double.valueOf(defaultOf("hare.defaults.retry.backoff.multiplier")))
			.isEqualTo(RetrySettingsFactory.DEFAULT_BACKOFF_MULTIPLIER);
		assertThat(duration("hare.defaults.retry.backoff.max")).isEqualTo(RetrySettingsFactory.DEFAULT_BACKOFF_MAX);
		assertThat(defaultOf("hare.defaults.auto-scaling.min-consumers"))
			.isEqualTo(String.valueOf(ConsumerSettingsFactory.DEFAULT_MIN_CONSUMERS));
		assertThat(defaultOf("hare.defaults.auto-scaling.messages-per-consumer"))
			.isEqualTo(String.valueOf(AutoScalingPolicy.DEFAULT_MESSAGES_PER_CONSUMER));
		assertThat(duration("hare.defaults.auto-scaling.check-interval"))
			.isEqualTo(AutoScalingPolicy.DEFAULT_CHECK_INTERVAL);
		assertThat(defaultOf("hare.redrive.rate")).isEqualTo("100");
	}

	@Test
	void exchangeTypeHasAHintPerType() {
		assertThat(this.hints).filteredOn((hint) -> hint.path("name").asString().equals("hare.defaults.exchange-type"))
			.singleElement()
			.satisfies((hint) -> assertThat(hint.path("values").valueStream().map((value) -> value.path("value").asString()))
				.containsExactly("direct", "topic", "fanout", "headers"));
	}

	@Test
	void enumPropertiesAreTypedSoTheIdeOffersTheirValues() {
		assertThat(this.properties.get("hare.defaults.queue.type").path("type").asString())
			.isEqualTo("io.hare.topology.QueueType");
		assertThat(this.properties.get("hare.defaults.retry.backoff.type").path("type").asString())
			.isEqualTo("io.hare.retry.RetryBackoff");
	}

	private Duration duration(String name) {
		return DurationStyle.detectAndParse(defaultOf(name));
	}

	private String defaultOf(String name) {
		JsonNode property = this.properties.get(name);
		assertThat(property).as(name).isNotNull();
		return property.path("defaultValue").asString(null);
	}

}
