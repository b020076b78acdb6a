package io.hare.listener;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.topology.StreamOffset;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.BlockingQueueConsumer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * A container for a stream that starts every new consumer after the last message it
 * finished, so that a reconnect or a resume neither replays the stream from the configured
 * offset nor skips what was published meanwhile. The position lives in memory: an
 * application restart reads from the configured offset again.
 */
class StreamListenerContainer extends SimpleMessageListenerContainer {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final String listenerId;

	private final StreamPosition position;

	StreamListenerContainer(ConnectionFactory connectionFactory, String listenerId, StreamOffset offset,
			StreamPosition position) {
		super(connectionFactory);
		this.listenerId = listenerId;
		this.position = position;
		setConsumerArguments(Map.of(StreamOffset.ARGUMENT, offset.argument()));
	}

	@Override
	protected BlockingQueueConsumer createBlockingQueueConsumer() {
		Long resume = this.position.next();
		if (resume != null) {
			setConsumerArguments(Map.of(StreamOffset.ARGUMENT, resume));
			if (logger.isDebugEnabled()) {
				logger.debug("Hare stream listener '" + this.listenerId + "' resumes at offset " + resume);
			}
		}
		return super.createBlockingQueueConsumer();
	}

}
