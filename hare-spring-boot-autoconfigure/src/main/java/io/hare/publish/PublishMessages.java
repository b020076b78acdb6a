package io.hare.publish;

import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.hare.convert.HareMessageConverter;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.postprocessor.GZipPostProcessor;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Turns a publish request into the message a publisher sends: encoded, persistent, with a
 * message id and a timestamp unless the request set them, through the publisher's
 * post-processors, and gzipped when its body is larger than the publisher's threshold.
 */
final class PublishMessages {

	private final HareMessageConverter messageConverter;

	private final List<MessagePostProcessor> postProcessors;

	private final @Nullable DataSize compressAbove;

	private final GZipPostProcessor gzip = new GZipPostProcessor();

	PublishMessages(HareMessageConverter messageConverter) {
		this(messageConverter, List.of(), null);
	}

	PublishMessages(HareMessageConverter messageConverter, List<MessagePostProcessor> postProcessors,
			@Nullable DataSize compressAbove) {
		this.messageConverter = messageConverter;
		this.postProcessors = List.copyOf(postProcessors);
		this.compressAbove = compressAbove;
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
		for (MessagePostProcessor postProcessor : this.postProcessors) {
			message = postProcessor.postProcessMessage(message);
		}
		if (this.compressAbove != null && message.getBody().length > this.compressAbove.toBytes()
				&& !isCompressed(message.getMessageProperties())) {
			// On a copy: a Message the caller handed in keeps its body.
			message = this.gzip.postProcessMessage(MessageBuilder.fromClonedMessage(message).build());
		}
		return message;
	}

	private static boolean isCompressed(MessageProperties properties) {
		String encoding = properties.getContentEncoding();
		return encoding != null && (encoding.startsWith("gzip") || encoding.startsWith("deflate")
				|| encoding.startsWith("zip"));
	}

}
