package io.hare.listener;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConverter;

/**
 * Decodes a message into the payload type of a {@link HareMessageHandler} and calls it; a
 * payload that cannot be decoded fails with the converter's exception, which the retry
 * router dead-letters at once.
 *
 * @param <T> the payload type
 */
class PayloadHandlerListener<T> implements ChannelAwareMessageListener {

	private final Class<T> payloadType;

	private final HareMessageHandler<T> handler;

	private final MessageConverter converter;

	PayloadHandlerListener(Class<T> payloadType, HareMessageHandler<T> handler, MessageConverter converter) {
		this.payloadType = payloadType;
		this.handler = handler;
		this.converter = converter;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		Object payload;
		if (this.payloadType == Message.class) {
			payload = message;
		}
		else {
			message.getMessageProperties().setInferredArgumentType(this.payloadType);
			payload = this.converter.fromMessage(message);
		}
		this.handler.handle(this.payloadType.cast(payload));
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("Hare listeners need the channel");
	}

}
