package io.hare.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

import io.hare.retry.RetryOutcome;
import io.hare.retry.RetryRouter;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.util.ReflectionUtils;

/**
 * Runs a batch listener's method ({@code void on(List<T> batch)}) with the messages of a batch
 * and recovers each message on its own: one that cannot be decoded is dead-lettered alone; the
 * elements a {@link HareBatchException} names take the retry path, each with its own attempt;
 * any other exception runs the method again for each element alone, so that one poison message
 * cannot hold up the rest. The container acks the batch when this returns, which is after every
 * failed message's copy was confirmed.
 */
class HareBatchMessageListener implements ChannelAwareBatchMessageListener {

	private final Object bean;

	private final Method method;

	private final @Nullable Type elementType;

	private final MessageConverter converter;

	private final RetryRouter retryRouter;

	private final DeliveredMessages deliveredMessages;

	private final ListenerObservers observers;

	/**
	 * Create a listener.
	 * @param elementType the type to decode each message into, or {@code null} to hand over the
	 * messages themselves ({@code List<Message>})
	 */
	HareBatchMessageListener(Object bean, Method method, @Nullable Type elementType, MessageConverter converter,
			RetryRouter retryRouter, DeliveredMessages deliveredMessages, ListenerObservers observers) {
		this.bean = bean;
		this.method = method;
		this.elementType = elementType;
		this.converter = converter;
		this.retryRouter = retryRouter;
		this.deliveredMessages = deliveredMessages;
		this.observers = observers;
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public void onMessageBatch(List<Message> messages, @Nullable Channel channel) {
		this.observers.batchHandled(messages.size());
		List<Message> accepted = new ArrayList<>();
		List<Object> elements = new ArrayList<>();
		for (Message message : messages) {
			try {
				elements.add(decode(message));
				accepted.add(message);
			}
			catch (RuntimeException ex) {
				route(message, ex, HareMessageListener.isUndecodable(ex), Duration.ZERO);
			}
		}
		if (accepted.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		try {
			invoke(elements);
			succeeded(accepted, start);
		}
		catch (ImmediateRequeueAmqpException ex) {
			throw ex;
		}
		catch (HareBatchException ex) {
			Duration duration = Duration.ofNanos(System.nanoTime() - start);
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			for (int i = 0; i < accepted.size(); i++) {
				if (ex.failed(i, elements.get(i))) {
					route(accepted.get(i), cause, false, duration);
				}
				else {
					this.observers.messageHandled(accepted.get(i), HandlingOutcome.SUCCESS, duration, null, null);
				}
			}
		}
		catch (RuntimeException ex) {
			// Which element failed is unknown: each is tried alone, and only those that fail again
			// take the retry path.
			for (int i = 0; i < accepted.size(); i++) {
				long single = System.nanoTime();
				try {
					invoke(List.of(elements.get(i)));
					succeeded(List.of(accepted.get(i)), single);
				}
				catch (ImmediateRequeueAmqpException requeue) {
					throw requeue;
				}
				catch (RuntimeException failure) {
					Throwable cause = (failure instanceof HareBatchException && failure.getCause() != null)
							? failure.getCause() : failure;
					route(accepted.get(i), cause, false, Duration.ofNanos(System.nanoTime() - single));
				}
			}
		}
	}

	private Object decode(Message message) {
		Message prepared = this.deliveredMessages.prepare(message);
		if (this.elementType == null) {
			return prepared;
		}
		prepared.getMessageProperties().setInferredArgumentType(this.elementType);
		return this.converter.fromMessage(prepared);
	}

	private void invoke(List<Object> elements) {
		try {
			this.method.invoke(this.bean, List.copyOf(elements));
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof InterruptedException) {
				throw HareMessageListener.requeueOnInterrupt(target);
			}
			if (target instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (target instanceof Error error) {
				// Errors such as StackOverflowError are the handler's too: retried, then dead-lettered.
				throw new BatchHandlerFailure(error);
			}
			throw new BatchHandlerFailure(target);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call " + this.method, ex);
		}
	}

	private void succeeded(List<Message> messages, long start) {
		Duration duration = Duration.ofNanos(System.nanoTime() - start);
		messages.forEach((message) -> this.observers.messageHandled(message, HandlingOutcome.SUCCESS, duration, null,
				null));
	}

	private void route(Message message, Throwable failure, boolean undecodable, Duration duration) {
		Throwable cause = (failure instanceof BatchHandlerFailure) ? failure.getCause() : failure;
		HandlingOutcome outcome = HandlingOutcome.REQUEUED;
		@Nullable Duration retryDelay = null;
		try {
			RetryOutcome routed = this.retryRouter.route(message, cause, undecodable);
			retryDelay = routed.delay();
			outcome = routed.retried() ? HandlingOutcome.RETRIED
					: (undecodable ? HandlingOutcome.DECODE_FAILED : HandlingOutcome.DEAD_LETTERED);
		}
		finally {
			this.observers.messageHandled(message, outcome, duration, cause, retryDelay);
		}
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("A Hare batch listener takes batches");
	}

	/**
	 * A checked exception or error the method threw, carried through the batch handling.
	 */
	private static final class BatchHandlerFailure extends RuntimeException {

		BatchHandlerFailure(Throwable cause) {
			super(cause);
		}

	}

}
