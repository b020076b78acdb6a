package io.hare.stream;

import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.rabbitmq.stream.Constants;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.MessageBuilder;
import com.rabbitmq.stream.Producer;
import org.jspecify.annotations.Nullable;

import io.hare.publish.StreamPublishing;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * A publisher's producer over the stream protocol, built on its first send. Headers become
 * application properties and the message id, correlation id, content type and encoding and
 * timestamp become AMQP 1.0 properties, as the broker does for a message published over
 * AMQP 0-9-1, so a stream listener reads it the same either way.
 */
final class StreamProducer implements StreamPublishing.Producer {

	// The stream client refuses a shorter confirm timeout.
	private static final Duration MIN_CONFIRM_TIMEOUT = Duration.ofSeconds(1);

	private final Supplier<Environment> environment;

	private final String publisherName;

	private final String stream;

	private final @Nullable String producerName;

	private final Duration confirmTimeout;

	private volatile @Nullable Producer producer;

	StreamProducer(Supplier<Environment> environment, String publisherName, String stream,
			@Nullable String producerName, Duration confirmTimeout) {
		this.environment = environment;
		this.publisherName = publisherName;
		this.stream = stream;
		this.producerName = producerName;
		this.confirmTimeout = (confirmTimeout.compareTo(MIN_CONFIRM_TIMEOUT) < 0) ? MIN_CONFIRM_TIMEOUT
				: confirmTimeout;
	}

	@Override
	public void send(Message message, StreamPublishing.Confirmation confirmation) {
		Producer producer = producer();
		producer.send(toStreamMessage(producer, message), (status) -> {
			if (status.isConfirmed()) {
				confirmation.answered(true, null);
			}
			else if (status.getCode() == Constants.CODE_PUBLISH_CONFIRM_TIMEOUT) {
				confirmation.answered(false, new TimeoutException("no confirm from stream '" + this.stream + "'"));
			}
			else if (status.getCode() == Constants.CODE_PRODUCER_NOT_AVAILABLE
					|| status.getCode() == Constants.CODE_PRODUCER_CLOSED) {
				confirmation.answered(false, new IllegalStateException("Hare publisher '" + this.publisherName
						+ "' lost its producer for stream '" + this.stream + "' (code " + status.getCode() + ")"));
			}
			else {
				confirmation.answered(false, null);
			}
		});
	}

	private Producer producer() {
		// Read without the lock on every send; built under it once.
		Producer producer = this.producer;
		if (producer != null) {
			return producer;
		}
		synchronized (this) {
			if (this.producer == null) {
				var builder = this.environment.get()
					.producerBuilder()
					.stream(this.stream)
					// The client times confirms out itself, so no timer per message here.
					.confirmTimeout(this.confirmTimeout);
				if (this.producerName != null) {
					builder.name(this.producerName);
				}
				this.producer = builder.build();
			}
			return this.producer;
		}
	}

	static com.rabbitmq.stream.Message toStreamMessage(Producer producer, Message message) {
		MessageProperties properties = message.getMessageProperties();
		MessageBuilder builder = producer.messageBuilder();
		MessageBuilder.PropertiesBuilder amqp = builder.properties();
		if (properties.getMessageId() != null) {
			amqp.messageId(properties.getMessageId());
		}
		if (properties.getCorrelationId() != null) {
			amqp.correlationId(properties.getCorrelationId());
		}
		if (properties.getContentType() != null) {
			amqp.contentType(properties.getContentType());
		}
		if (properties.getContentEncoding() != null) {
			amqp.contentEncoding(properties.getContentEncoding());
		}
		Date timestamp = properties.getTimestamp();
		if (timestamp != null) {
			amqp.creationTime(timestamp.getTime());
		}
		MessageBuilder.ApplicationPropertiesBuilder headers = builder.applicationProperties();
		for (Map.Entry<String, @Nullable Object> header : properties.getHeaders().entrySet()) {
			put(headers, header.getKey(), header.getValue());
		}
		return builder.addData(message.getBody()).build();
	}

	private static void put(MessageBuilder.ApplicationPropertiesBuilder headers, String key, @Nullable Object value) {
		if (value == null) {
			return;
		}
		if (value instanceof String text) {
			headers.entry(key, text);
		}
		else if (value instanceof Long number) {
			headers.entry(key, number);
		}
		else if (value instanceof Integer number) {
			headers.entry(key, number);
		}
		else if (value instanceof Boolean flag) {
			headers.entry(key, flag);
		}
		else if (value instanceof Double number) {
			headers.entry(key, number);
		}
		else {
			// AMQP 1.0 application properties hold simple values only.
			headers.entry(key, value.toString());
		}
	}

	@Override
	public synchronized void close() {
		Producer producer = this.producer;
		if (producer != null) {
			producer.close();
			this.producer = null;
		}
	}

}
