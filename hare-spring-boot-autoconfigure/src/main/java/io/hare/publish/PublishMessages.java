package io.hare.publish;

import java.util.Date;
import java.util.UUID;

import io.hare.convert.HareMessageConverter;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.util.StringUtils;

/**
 * Turns a publish request into the message a publisher sends: encoded, persistent, with a
 * message id and a timestamp unless the request set them.
 */
final class PublishMessages {

	private final HareMessageConverter messageConverter;

	PublishMessages(HareMessageConverter messageConverter) {
		this.messageConverter = messageConverter;
	}

	Message toMessage(PublishRequest request) {
		Object payload = request.getPayload();
		Message message;
		if (payload instanceof Message given) {
			message = given;
		}
		else {
			MessageProperties properties = new MessageProperties();
			properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
			message = this.messageConverter.toMessage(payload, properties);
		}
		MessageProperties properties = message.getMessageProperties();
		request.customize(properties);
		if (!StringUtils.hasText(properties.getMessageId())) {
			properties.setMessageId(UUID.randomUUID().toString());
		}
		if (properties.getTimestamp() == null) {
			properties.setTimestamp(new Date());
		}
		return message;
	}

}
