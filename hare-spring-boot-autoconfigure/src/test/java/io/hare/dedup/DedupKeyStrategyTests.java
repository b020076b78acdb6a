package io.hare.dedup;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link DedupKeyStrategy}: what makes two messages duplicates.
 */
class DedupKeyStrategyTests {

	private final DedupKeyStrategy byOrderId = DedupKeyStrategy.fields(new JsonMapper(), List.of("orderId"));

	private static String key(DedupKeyStrategy strategy, String exchange, String routingKey, String json) {
		Message message = new Message(json.getBytes(StandardCharsets.UTF_8), new MessageProperties());
		return strategy.key(exchange, routingKey, json, message);
	}

	@Test
	void fieldsKeyIgnoresOtherFields() {
		assertThat(key(this.byOrderId, "shop", "created", "{\"orderId\":42,\"note\":\"a\"}"))
			.isEqualTo(key(this.byOrderId, "shop", "created", "{\"note\":\"b\",\"orderId\":42}"))
			.isNotEqualTo(key(this.byOrderId, "shop", "created", "{\"orderId\":43,\"note\":\"a\"}"));
	}

	@Test
	void keyIncludesTheDestination() {
		String json = "{\"orderId\":42}";
		assertThat(key(this.byOrderId, "shop", "created", json))
			.isNotEqualTo(key(this.byOrderId, "shop", "cancelled", json))
			.isNotEqualTo(key(this.byOrderId, "other", "created", json));
		assertThat(key(DedupKeyStrategy.wholeMessage(), "ab", "c", json))
			.isNotEqualTo(key(DedupKeyStrategy.wholeMessage(), "a", "bc", json));
	}

	@Test
	void fieldsKeyKeepsJsonTypesApart() {
		assertThat(key(this.byOrderId, "shop", "created", "{\"orderId\":42}"))
			.isNotEqualTo(key(this.byOrderId, "shop", "created", "{\"orderId\":\"42\"}"));
	}

	@Test
	void fieldsKeyReachesNestedFieldsByDotsOrPointer() {
		DedupKeyStrategy dotted = DedupKeyStrategy.fields(new JsonMapper(), List.of("customer.id", "orderId"));
		DedupKeyStrategy pointer = DedupKeyStrategy.fields(new JsonMapper(), List.of("/customer/id", "orderId"));
		String json = "{\"orderId\":1,\"customer\":{\"id\":\"c-7\",\"name\":\"x\"}}";
		assertThat(key(dotted, "shop", "created", json))
			.isEqualTo(key(dotted, "shop", "created", "{\"orderId\":1,\"customer\":{\"id\":\"c-7\",\"name\":\"y\"}}"))
			.isNotEqualTo(key(dotted, "shop", "created", "{\"orderId\":1,\"customer\":{\"id\":\"c-8\"}}"));
		assertThat(key(pointer, "shop", "created", json)).isNotBlank();
	}

	@Test
	void fieldsKeyRejectsAMissingOrNullField() {
		assertThatExceptionOfType(DedupKeyException.class)
			.isThrownBy(() -> key(this.byOrderId, "shop", "created", "{\"id\":42}"))
			.withMessageContaining("orderId");
		assertThatExceptionOfType(DedupKeyException.class)
			.isThrownBy(() -> key(this.byOrderId, "shop", "created", "{\"orderId\":null}"));
		assertThatExceptionOfType(DedupKeyException.class)
			.isThrownBy(() -> key(this.byOrderId, "shop", "created", "not json"))
			.withMessageContaining("JSON");
	}

	@Test
	void fieldsKeyReachesArrayElementsAndWholeObjects() {
		DedupKeyStrategy firstSku = DedupKeyStrategy.fields(new JsonMapper(), List.of("lines.0.sku"));
		assertThat(key(firstSku, "shop", "created", "{\"lines\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}"))
			.isEqualTo(key(firstSku, "shop", "created", "{\"lines\":[{\"qty\":1,\"sku\":\"a\"}]}"))
			.isNotEqualTo(key(firstSku, "shop", "created", "{\"lines\":[{\"sku\":\"b\"},{\"sku\":\"a\"}]}"));
		DedupKeyStrategy customer = DedupKeyStrategy.fields(new JsonMapper(), List.of("customer", "customer.id"));
		assertThat(key(customer, "shop", "created", "{\"customer\":{\"id\":7,\"name\":\"x\"}}"))
			.isNotEqualTo(key(customer, "shop", "created", "{\"customer\":{\"id\":7,\"name\":\"y\"}}"));
	}

	@Test
	void fieldsKeyNeedsEveryFieldWhereverItIsInTheBody() {
		DedupKeyStrategy byTenantAndOrder = DedupKeyStrategy.fields(new JsonMapper(),
				List.of("tenant", "order.id"));
		String late = "{\"note\":{\"deep\":[1,{\"order\":{\"id\":9}}]},\"order\":{\"id\":1},\"tenant\":\"t\"}";
		assertThat(key(byTenantAndOrder, "shop", "created", late)).isEqualTo(
				key(byTenantAndOrder, "shop", "created", "{\"tenant\":\"t\",\"order\":{\"id\":1}}"));
		assertThatExceptionOfType(DedupKeyException.class)
			.isThrownBy(() -> key(byTenantAndOrder, "shop", "created", "{\"tenant\":\"t\",\"tenant\":\"u\"}"))
			.withMessageContaining("order.id");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"a\\\"b\\\\c\\n\\t\\u0001\\u2028/é✓\"", "123456789012345678901234567890", "-0", "true",
			"false", "1.5e3", "{\"a\":[1,\"x\"]}", "[]" })
	void fieldsKeyHashesTheValueAsItsJsonTreeWritesIt(String value) {
		// Keys outlive the application in a shared store: reading a value another way must not change its key.
		JsonMapper mapper = new JsonMapper();
		String expected = new KeyHasher("shop", "created").add("orderId")
			.add(mapper.readTree(value).toString())
			.hash();
		String json = "{\"orderId\":" + value + ",\"note\":1}";
		assertThat(key(this.byOrderId, "shop", "created", json)).isEqualTo(expected);
	}

	@Test
	void wholeMessageKeyIsASha256OfTheBody() {
		String first = key(DedupKeyStrategy.wholeMessage(), "shop", "created", "{\"a\":1}");
		assertThat(first).hasSize(64).matches("[0-9a-f]+");
		assertThat(first).isEqualTo(key(DedupKeyStrategy.wholeMessage(), "shop", "created", "{\"a\":1}"))
			.isNotEqualTo(key(DedupKeyStrategy.wholeMessage(), "shop", "created", "{\"a\":2}"));
	}

}
