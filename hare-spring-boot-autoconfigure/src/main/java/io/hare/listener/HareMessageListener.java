package io.hare.listener;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

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
 * and the container requeues the original.
 */
class HareMessageListener implements ChannelAwareMessageListener {

	private final ChannelAwareMessageListener handler;

	private final RetryRouter retryRouter;

	HareMessageListener(ChannelAwareMessageListener handler, RetryRouter retryRouter) {
		this.handler = handler;
		this.retryRouter = retryRouter;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		try {
			this.handler.onMessage(message, channel);
		}
		catch (Exception | Error ex) {
			// Errors such as StackOverflowError are the handler's too: retried, then dead-lettered.
			Throwable failure = handlerFailure(ex);
			if (failure instanceof InterruptedException) {
				// The container interrupts a handler that outlives the shutdown timeout: no failed
				// attempt, so requeue the message rather than spend a retry and leave a copy.
				Thread.currentThread().interrupt();
				throw new ImmediateRequeueAmqpException("Handler interrupted while the listener stops", failure);
			}
			this.retryRouter.route(message, failure, isUndecodable(ex));
		}
	}

	@Override
	public void onMessage(Message message) {
		throw new UnsupportedOperationException("Hare listeners need the channel");
	}

	/**
	 * Return what the handler itself threw, without the adapter's wrapping.
	 */
	private static Throwable handlerFailure(Throwable ex) {
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
