package io.hare.stream;

import java.util.Date;
import java.util.Map;

import com.rabbitmq.stream.MessageHandler;
import com.rabbitmq.stream.Properties;

import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Turns a message read over the stream protocol into the Spring AMQP message that Hare's
 * handlers take, as if it had been read over AMQP 0-9-1: application properties become
 * headers, and the offset is in the {@code x-stream-offset} header.
 */
final class StreamMessages {

	private StreamMessages() {
	}

	static Message toMessage(MessageHandler.Context context, com.rabbitmq.stream.Message message) {
		MessageProperties properties = new MessageProperties();
		Map<String, Object> applicationProperties = message.getApplicationProperties();
		if (applicationProperties != null) {
			applicationProperties.forEach(properties::setHeader);
		}
		Properties amqp = message.getProperties();
		if (amqp != null) {
			if (amqp.getMessageId() != null) {
				properties.setMessageId(String.valueOf(amqp.getMessageId()));
			}
			if (amqp.getCorrelationId() != null) {
				properties.setCorrelationId(String.valueOf(amqp.getCorrelationId()));
			}
			properties.setContentType(amqp.getContentType());
			properties.setContentEncoding(amqp.getContentEncoding());
			properties.setReplyTo(amqp.getReplyTo());
			if (amqp.getCreationTime() > 0) {
				properties.setTimestamp(new Date(amqp.getCreationTime()));
			}
		}
		properties.setHeader(StreamOffset.ARGUMENT, context.offset());
		properties.setConsumerQueue(context.stream());
		byte[] body = message.getBodyAsBinary();
		return new Message((body != null) ? body : new byte[0], properties);
	}

}
