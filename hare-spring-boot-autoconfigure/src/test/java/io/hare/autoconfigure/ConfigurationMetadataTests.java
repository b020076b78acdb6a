package io.hare.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hare.listener.HareListenerSpec;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata {@code spring-boot-configuration-processor} generates at compile time from
 * {@link HareProperties} and {@code additional-spring-configuration-metadata.json}: every
 * {@code hare.*} property is described, defaults are given, and the exchange type has hints.
 */
class ConfigurationMetadataTests {

	private final List<JsonNode> properties = new ArrayList<>();

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
						this.properties.add(property);
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
	void everyHarePropertyHasADescription() {
		assertThat(this.properties).as("hare.* properties in the generated metadata").hasSizeGreaterThan(10);
		assertThat(this.properties)
			.filteredOn((property) -> property.path("description").asString("").isBlank())
			.extracting((property) -> property.path("name").asString())
			.as("hare.* properties without a description (add javadoc to the field)")
			.isEmpty();
	}

	@Test
	void descriptionsAreSentences() {
		assertThat(this.properties).allSatisfy((property) -> assertThat(property.path("description").asString())
			.as(property.path("name").asString())
			.endsWith(".")
			.doesNotContain("{@"));
	}

	@Test
	void defaultsTakenFromConstantsMatchThoseConstants() {
		assertThat(defaultOf("hare.defaults.concurrency")).isEqualTo(String.valueOf(HareListenerSpec.DEFAULT_CONCURRENCY));
		assertThat(defaultOf("hare.defaults.retry.limit")).isEqualTo(String.valueOf(HareListenerSpec.DEFAULT_RETRY_LIMIT));
		assertThat(DurationStyle.detectAndParse(defaultOf("hare.defaults.retry.delay")))
			.isEqualTo(HareListenerSpec.DEFAULT_RETRY_DELAY);
		assertThat(defaultOf("hare.defaults.exchange-type")).isEqualTo(HareListenerSpec.DEFAULT_EXCHANGE_TYPE);
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
		assertThat(this.properties).filteredOn((property) -> property.path("name").asString().equals("hare.defaults.queue-type"))
			.singleElement()
			.satisfies((property) -> assertThat(property.path("type").asString()).isEqualTo("io.hare.topology.QueueType"));
	}

	private String defaultOf(String name) {
		return this.properties.stream()
			.filter((property) -> property.path("name").asString().equals(name))
			.findFirst()
			.map((property) -> property.path("defaultValue").asString(null))
			.orElse(null);
	}

}
