package io.hare.stream;

import java.util.function.Consumer;

import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.NoOffsetException;
import com.rabbitmq.stream.OffsetSpecification;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.listener.StreamProtocolConsumer;
import io.hare.listener.StreamTracking;
import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.Message;

/**
 * A stream listener's consumer over the stream protocol. It has a name, so the broker keeps
 * its offset: the client stores it after {@code storeEvery} handled messages and after
 * {@code storeInterval} of quiet, and Hare stores the last handled one when the consumer
 * stops. A new consumer of the same name starts after the stored offset (the configured
 * offset applies only when none is stored); one that subscribes again in this process (a
 * reconnect, a resume) starts after the last message it handled. Handling runs on the
 * client's dispatching thread, one message after the other.
 */
final class StreamListenerConsumer implements StreamProtocolConsumer {

	private static final Log logger = LogFactory.getLog(StreamListenerConsumer.class);

	private static final long NONE = -1;

	private final Environment environment;

	private final String listenerId;

	private final String stream;

	private final String name;

	private final StreamOffset offset;

	private final StreamTracking tracking;

	private final Consumer<Message> handler;

	// Volatile, so that isRunning() answers without the lock: a handler waiting for a dead-letter
	// confirm asks it while stop() holds the lock and closes the consumer.
	private volatile com.rabbitmq.stream.@Nullable Consumer consumer;

	// A reset applies to the next subscription only, not to those after a reconnect.
	private volatile @Nullable StreamOffset reset;

	// Set, not raised: after a reset the offsets handled go down.
	private volatile long lastHandled = NONE;

	StreamListenerConsumer(Environment environment, String listenerId, String stream, String name,
			StreamOffset offset, StreamTracking tracking, Consumer<Message> handler) {
		this.environment = environment;
		this.listenerId = listenerId;
		this.stream = stream;
		this.name = name;
		this.offset = offset;
		this.tracking = tracking;
		this.handler = handler;
	}

	@Override
	public synchronized void start() {
		if (this.consumer != null) {
			return;
		}
		this.consumer = this.environment.consumerBuilder()
			.stream(this.stream)
			.name(this.name)
			.offset(StreamOffsets.specification(this.offset))
			.autoTrackingStrategy()
			.messageCountBeforeStorage(this.tracking.storeEvery())
			.flushInterval(this.tracking.storeInterval())
			.builder()
			.subscriptionListener((context) -> {
				StreamOffset target = this.reset;
				long last = this.lastHandled;
				if (target != null) {
					this.reset = null;
					context.offsetSpecification(StreamOffsets.specification(target));
				}
				else if (last != NONE) {
					// The stored offset may lag by up to storeEvery messages; this process knows better.
					context.offsetSpecification(OffsetSpecification.offset(last + 1));
				}
			})
			.messageHandler((context, message) -> {
				this.handler.accept(StreamMessages.toMessage(context, message));
				this.lastHandled = context.offset();
			})
			.build();
	}

	@Override
	public synchronized void stop() {
		com.rabbitmq.stream.Consumer running = this.consumer;
		this.consumer = null;
		if (running != null) {
			try {
				running.close();
				store();
			}
			catch (RuntimeException ex) {
				logger.warn("Hare stream listener '" + this.listenerId + "' could not close its consumer of stream '"
						+ this.stream + "' cleanly; it resumes after the last stored offset: " + ex);
			}
		}
	}

	// The client stores only offsets above the last it stored, so not offset 0, nor an offset
	// below the one stored before a reset: store the last handled one directly.
	private void store() {
		long last = this.lastHandled;
		if (last != NONE) {
			this.environment.storeOffset(this.name, this.stream, last);
		}
	}

	@Override
	public boolean isRunning() {
		return this.consumer != null;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public synchronized @Nullable Long getStoredOffset() {
		com.rabbitmq.stream.Consumer running = this.consumer;
		if (running == null) {
			return null;
		}
		try {
			return running.storedOffset();
		}
		catch (NoOffsetException ex) {
			return null;
		}
		catch (RuntimeException ex) {
			logger.debug("Hare stream listener '" + this.listenerId + "' cannot read its stored offset: " + ex);
			return null;
		}
	}

	@Override
	public synchronized void resetOffset(StreamOffset target) {
		boolean running = this.consumer != null;
		stop();
		this.lastHandled = NONE;
		this.reset = target;
		if (running) {
			start();
		}
	}

}
