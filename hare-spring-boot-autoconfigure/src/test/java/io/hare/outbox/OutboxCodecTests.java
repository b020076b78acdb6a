package io.hare.outbox;

import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxCodec}: stored properties come back as they were published.
 */
class OutboxCodecTests {

	@Test
	void propertiesAndTypedHeadersRoundTrip() {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId("order-42");
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding("UTF-8");
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setPriority(5);
		properties.setCorrelationId("c-1");
		properties.setExpiration("60000");
		properties.setTimestamp(new Date(1_700_000_000_000L));
		properties.setHeader("x-string", "acme");
		properties.setHeader("x-long", 7L);
		properties.setHeader("x-int", 3);
		properties.setHeader("x-bool", true);
		properties.setHeader("x-list", List.of("a", "b"));
		properties.setHeader("x-map", Map.of("k", "v"));
		MessageProperties decoded = OutboxCodec.decode(OutboxCodec.encode(properties));
		assertThat(decoded.getMessageId()).isEqualTo("order-42");
		assertThat(decoded.getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_JSON);
		assertThat(decoded.getContentEncoding()).isEqualTo("UTF-8");
		assertThat(decoded.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
		assertThat(decoded.getPriority()).isEqualTo(5);
		assertThat(decoded.getCorrelationId()).isEqualTo("c-1");
		assertThat(decoded.getExpiration()).isEqualTo("60000");
		assertThat(decoded.getTimestamp()).isEqualTo(new Date(1_700_000_000_000L));
		assertThat(decoded.<String>getHeader("x-string")).isEqualTo("acme");
		assertThat(decoded.<Object>getHeader("x-long")).isEqualTo(7L);
		assertThat(decoded.<Object>getHeader("x-int")).isEqualTo(3);
		assertThat(decoded.<Object>getHeader("x-bool")).isEqualTo(true);
		assertThat(decoded.<List<Object>>getHeader("x-list")).containsExactly("a", "b");
		assertThat(decoded.<Map<String, Object>>getHeader("x-map")).containsEntry("k", "v");
	}

	@Test
	void transientMessagesStayTransient() {
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
		assertThat(OutboxCodec.decode(OutboxCodec.encode(properties)).getDeliveryMode())
			.isEqualTo(MessageDeliveryMode.NON_PERSISTENT);
	}

}
