package io.hare.listener;

import java.time.Duration;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

import io.hare.connection.DeferredAckChannel;
import io.hare.retry.ImmediateRetries;
import io.hare.retry.RetryOutcome;
import io.hare.retry.RetryRouter;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.listener.ListenerExecutionFailedException;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

/**
 * Runs a listener's handler and, when it fails, hands the message to the {@link RetryRouter}.
 * The container acks the message when this returns, which is only after the handler returned
 * or the retry or dead-letter copy was confirmed; when the copy is not confirmed this throws
 * and the container requeues the original. On a channel that batches acks, this returns as
 * soon as the copy is sent and the channel holds the original's ack back until the copy is
 * confirmed (or requeues it if not), so that failures do not wait for confirms one by one.
 * {@link HareListenerObserver Observers} learn what became of every message.
 */
class HareMessageListener implements ChannelAwareMessageListener {

	private final ChannelAwareMessageListener handler;

	private final RetryRouter retryRouter;

	private final ListenerObservers observers;

	private final ImmediateRetries immediateRetries;

	private final DeliveredMessages deliveredMessages;

	private final @Nullable ListenerCircuitBreaker circuitBreaker;

	HareMessageListener(ChannelAwareMessageListener handler, RetryRouter retryRouter,
			ImmediateRetries immediateRetries, DeliveredMessages deliveredMessages,
			@Nullable ListenerCircuitBreaker circuitBreaker, String listenerId, String queue,
			List<HareListenerObserver> observers) {
		this.handler = handler;
		this.circuitBreaker = circuitBreaker;
		this.deliveredMessages = deliveredMessages;
		this.retryRouter = retryRouter;
		this.immediateRetries = immediateRetries;
		this.observers = new ListenerObservers(listenerId, queue, observers);
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		if (this.circuitBreaker != null && !this.circuitBreaker.tryAcquirePermission()) {
			// Open, or its trial is full: the message waits in the queue, unhandled and unspent.
			throw new ImmediateRequeueAmqpException("The circuit breaker of the listener is open");
		}
		int immediate = 0;
		while (true) {
			long start = System.nanoTime();
			try {
				this.handler.onMessage(this.deliveredMessages.prepare(message), channel);
			}
			catch (Exception | Error ex) {
				// Errors such as StackOverflowError are the handler's too: retried, then dead-lettered.
				Duration duration = Duration.ofNanos(System.nanoTime() - start);
				Throwable failure = handlerFailure(ex);
				if (failure instanceof InterruptedException) {
					throw requeueOnInterrupt(failure);
				}
				boolean undecodable = isUndecodable(ex);
				if (!undecodable && immediate < this.immediateRetries.attempts()
						&& this.retryRouter.isRetryable(failure)) {
					immediate++;
					observe(message, HandlingOutcome.RETRIED_IMMEDIATELY, duration, failure, null);
					waitBeforeImmediateRetry();
					continue;
				}
				recordFailure(failure, undecodable, duration);
				if (channel instanceof DeferredAckChannel deferred) {
					routeFailureAsync(message, deferred, failure, undecodable, immediate, duration);
				}
				else {
					routeFailure(message, failure, undecodable, immediate, duration);
				}
				return;
			}
			Duration duration = Duration.ofNanos(System.nanoTime() - start);
			if (this.circuitBreaker != null) {
				this.circuitBreaker.succeeded(duration);
			}
			observe(message, HandlingOutcome.SUCCESS, duration, null, null);
			return;
		}
	}

	private void recordFailure(Throwable failure, boolean undecodable, Duration duration) {
		if (this.circuitBreaker == null) {
			return;
		}
		// Only a failure worth a retry says the handler or what it calls is unwell.
		if (!undecodable && this.retryRouter.isRetryable(failure)) {
			this.circuitBreaker.failed(duration, failure);
		}
		else {
			this.circuitBreaker.ignored();
		}
	}

	private void routeFailure(Message message, Throwable failure, boolean undecodable, int immediate,
			Duration duration) {
		HandlingOutcome outcome = HandlingOutcome.REQUEUED;
		@Nullable Duration retryDelay = null;
		try {
			RetryOutcome routed = this.retryRouter.route(message, failure, undecodable, immediate);
			retryDelay = routed.delay();
			outcome = routed.retried() ? HandlingOutcome.RETRIED
					: (undecodable ? HandlingOutcome.DECODE_FAILED : HandlingOutcome.DEAD_LETTERED);
		}
		finally {
			observe(message, outcome, duration, failure, retryDelay);
		}
	}

	// The consumer goes on while the copy travels: its channel acks the original once the copy
	// is confirmed, or requeues it if not. Observers hear of the copy as it is sent.
	private void routeFailureAsync(Message message, DeferredAckChannel channel, Throwable failure, boolean undecodable,
			int immediate, Duration duration) {
		RetryRouter.PendingCopy copy;
		try {
			copy = this.retryRouter.routeAsync(message, failure, undecodable, immediate);
		}
		catch (RuntimeException ex) {
			observe(message, HandlingOutcome.REQUEUED, duration, failure, null);
			throw ex;
		}
		channel.ackWhenDone(message.getMessageProperties().getDeliveryTag(), copy.confirmed());
		RetryOutcome routed = copy.outcome();
		observe(message, routed.retried() ? HandlingOutcome.RETRIED
				: (undecodable ? HandlingOutcome.DECODE_FAILED : HandlingOutcome.DEAD_LETTERED), duration, failure,
				routed.delay());
	}

	private void waitBeforeImmediateRetry() {
		long millis = this.immediateRetries.delay().toMillis();
		if (millis == 0) {
			return;
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			throw requeueOnInterrupt(ex);
		}
	}

	// The container interrupts a handler that outlives the shutdown timeout: no failed attempt,
	// so requeue the message rather than spend a retry and leave a copy.
	static ImmediateRequeueAmqpException requeueOnInterrupt(Throwable failure) {
		Thread.currentThread().interrupt();
		return new ImmediateRequeueAmqpException("Handler interrupted while the listener stops", failure);
	}

	private void observe(Message message, HandlingOutcome outcome, Duration duration, @Nullable Throwable failure,
			@Nullable Duration retryDelay) {
		this.observers.messageHandled(message, outcome, duration, failure, retryDelay);
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("Hare listeners need the channel");
	}

	/**
	 * Return what the handler itself threw, without the adapter's wrapping.
	 */
	static Throwable handlerFailure(Throwable ex) {
		return (ex instanceof ListenerExecutionFailedException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * A message the converter cannot decode, or whose payload does not fit the method's
	 * parameters, fails the same way on every attempt: retrying cannot help.
	 */
	static boolean isUndecodable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof org.springframework.amqp.support.converter.MessageConversionException
					|| cause instanceof org.springframework.messaging.converter.MessageConversionException
					|| cause instanceof MethodArgumentResolutionException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
