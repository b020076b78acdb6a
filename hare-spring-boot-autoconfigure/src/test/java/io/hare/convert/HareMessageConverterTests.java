package io.hare.convert;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HareMessageConverter}.
 */
class HareMessageConverterTests {

	private final HareMessageConverter converter = new HareMessageConverter(new JsonMapper());

	@Test
	void roundTripsARecordAsJson() {
		Message message = this.converter.toMessage(new Order(7, "tea"), new MessageProperties());
		assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
		assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7,\"item\":\"tea\"}");
		assertThat(decode(message, Order.class)).isEqualTo(new Order(7, "tea"));
	}

	@Test
	void passesBytesAndStringsThroughUntouched() {
		byte[] bytes = { 0, 1, (byte) 0xff };
		assertThat(decode(this.converter.toMessage(bytes, new MessageProperties()), byte[].class)).isEqualTo(bytes);
		Message json = message("{\"id\":1}", "application/json", null);
		assertThat(decode(json, String.class)).isEqualTo("{\"id\":1}");
	}

	@Test
	void takesAMessageWithoutContentTypeForJson() {
		Object decoded = decode(message("{\"id\":1,\"item\":\"x\"}", null, null), Map.class);
		assertThat(decoded).isEqualTo(Map.of("id", 1, "item", "x"));
		Message unspecified = message("{\"id\":1,\"item\":\"x\"}", MessageProperties.DEFAULT_CONTENT_TYPE, null);
		assertThat(decode(unspecified, Order.class)).as("what Spring AMQP reports for a missing content type")
			.isEqualTo(new Order(1, "x"));
	}

	@Test
	void refusesMalformedJsonEmptyBodiesNullsAndOtherContentTypes() {
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> decode(message("{not json", "application/json", null), Order.class));
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> decode(message("", "application/json", null), Order.class));
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> decode(message("null", "application/json", null), Order.class));
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> decode(message("{\"id\":1}", "text/plain", null), Order.class))
			.withMessageContaining("text/plain");
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> decode(message("{\"id\":1}", "application/json", "gzip"), Order.class))
			.withMessageContaining("gzip");
	}

	@Test
	void neverInstantiatesATypeNamedInTheMessage() {
		Message message = message("{\"id\":1,\"item\":\"x\"}", "application/json", null);
		message.getMessageProperties().setHeader("__TypeId__", "java.lang.ProcessBuilder");
		assertThat(decode(message, Order.class)).isEqualTo(new Order(1, "x"));
	}

	private Object decode(Message message, Class<?> type) {
		message.getMessageProperties().setInferredArgumentType(type);
		return this.converter.fromMessage(message);
	}

	private static Message message(String body, String contentType, String contentEncoding) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(contentType);
		properties.setContentEncoding(contentEncoding);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

	record Order(int id, String item) {
	}

}
