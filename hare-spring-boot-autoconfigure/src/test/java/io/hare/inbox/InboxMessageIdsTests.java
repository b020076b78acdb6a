package io.hare.inbox;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InboxMessageIds}.
 */
class InboxMessageIdsTests {

	@Test
	void aMessageIdIsRecordedAsItIs() {
		assertThat(InboxMessageIds.of(message("order-1", "shop", "order.created", "{}"))).isEqualTo("order-1");
	}

	@Test
	void anIdTooLongForTheColumnIsRecordedAsItsHash() {
		String id = InboxMessageIds.of(message("x".repeat(300), "shop", "order.created", "{}"));
		assertThat(id).startsWith(InboxMessageIds.HASHED).hasSize(71);
	}

	@Test
	void withoutAnIdTheDestinationAndBodyMakeTheId() {
		String id = InboxMessageIds.of(message(null, "shop", "order.created", "{\"id\":1}"));
		assertThat(id).startsWith(InboxMessageIds.HASHED).hasSize(71);
		assertThat(InboxMessageIds.of(message(null, "shop", "order.created", "{\"id\":1}"))).isEqualTo(id);
		assertThat(InboxMessageIds.of(message(null, "shop", "order.created", "{\"id\":2}"))).isNotEqualTo(id);
		assertThat(InboxMessageIds.of(message(null, "shop", "order.paid", "{\"id\":1}"))).isNotEqualTo(id);
	}

	@Test
	void aRetryCopyWithoutAnIdKeepsTheIdOfWhereItWasFirstPublished() {
		String original = InboxMessageIds.of(message(null, "shop", "order.created", "{}"));
		Message retry = message(null, "", "orders", "{}");
		retry.getMessageProperties().setHeader(HareHeaders.ORIGINAL_EXCHANGE, "shop");
		retry.getMessageProperties().setHeader(HareHeaders.ORIGINAL_ROUTING_KEY, "order.created");
		assertThat(InboxMessageIds.of(retry)).isEqualTo(original);
	}

	private static Message message(String id, String exchange, String routingKey, String body) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(id);
		properties.setReceivedExchange(exchange);
		properties.setReceivedRoutingKey(routingKey);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

}
