package io.hare.connection;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Gives a listener container channels whose {@code basicCancel} returns only once the
 * broker's cancel-ok has gone through the client's consumer dispatcher, that is after every
 * delivery the broker sent before it has reached the consumer's local queue.
 * <p>
 * Spring AMQP marks a consumer cancelled as soon as the cancel-ok frame arrives. A consumer
 * thread that finds its local queue empty at that moment stops and closes its channel while
 * deliveries are still being handed over by the dispatcher, and the broker redelivers them to
 * another consumer: a few messages per scale-down or pause under steady traffic (measured: 56
 * of 20,000 over 20 scale-downs). With the wait, the stopping consumer handles them first, so
 * scaling down or pausing redelivers nothing.
 * <p>
 * Optionally, the channels also batch the container's acks (see {@link BatchedAcks}): one
 * multiple ack for several messages costs the broker less than one each.
 * <p>
 * Public only for Hare's listener containers; not for use by applications.
 */
public final class CancelDrainingConnectionFactory {

	/**
	 * How long a cancel waits for the dispatcher; a channel that closes meanwhile ends the
	 * wait at once.
	 */
	static final long CANCEL_OK_TIMEOUT_MILLIS = 5_000;

	/**
	 * How long a closing channel waits for the deliveries whose ack waits for a retry copy's
	 * confirm; the copies' own confirm timeout is usually longer, but they rarely take it.
	 */
	static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

	private CancelDrainingConnectionFactory() {
	}

	/**
	 * Return a connection factory whose channels wait for cancel-ok as described above.
	 * @param target the connection factory to decorate
	 * @return the decorated connection factory
	 */
	public static ConnectionFactory wrap(ConnectionFactory target) {
		return wrap(target, null);
	}

	/**
	 * Return a connection factory whose channels wait for cancel-ok as described above and
	 * batch the acks of a container that settles each delivery in order, one at a time (as
	 * Spring AMQP's {@code SimpleMessageListenerContainer} does with acknowledge mode
	 * {@code AUTO}).
	 * @param target the connection factory to decorate
	 * @param batchSize the most messages one ack settles; 1 for one ack each
	 * @param timeout the longest an ack is held back
	 * @param scheduler sends the acks held back for {@code timeout}
	 * @return the decorated connection factory
	 */
	public static ConnectionFactory wrap(ConnectionFactory target, int batchSize, Duration timeout,
			TaskScheduler scheduler) {
		Assert.isTrue(batchSize >= 1, "'batchSize' must be at least 1");
		return wrap(target, (batchSize > 1) ? (channel) -> new BatchedAcks(channel, batchSize, timeout, scheduler)
				: null);
	}

	private static ConnectionFactory wrap(ConnectionFactory target,
			@Nullable Function<Channel, BatchedAcks> batchedAcks) {
		return proxy(target, new Class<?>[] { ConnectionFactory.class }, (method, args) -> {
			Object result = invoke(target, method, args);
			return (method.getName().equals("createConnection") && result instanceof Connection connection)
					? wrapConnection(connection, batchedAcks) : result;
		});
	}

	private static Connection wrapConnection(Connection target, @Nullable Function<Channel, BatchedAcks> batchedAcks) {
		return proxy(target, ClassUtils.getAllInterfaces(target), (method, args) -> {
			Object result = invoke(target, method, args);
			if (!method.getName().equals("createChannel") || !(result instanceof Channel channel)) {
				return result;
			}
			// A transacted channel's acks take effect at its commit: leave them as they are.
			boolean transacted = args != null && args.length == 1 && Boolean.TRUE.equals(args[0]);
			return wrapChannel(channel, (batchedAcks != null && !transacted) ? batchedAcks.apply(channel) : null);
		});
	}

	private static Channel wrapChannel(Channel target, @Nullable BatchedAcks acks) {
		Map<String, CancelTrackingConsumer> consumers = new ConcurrentHashMap<>();
		Class<?>[] interfaces = ClassUtils.getAllInterfaces(target);
		if (acks != null) {
			interfaces = Arrays.copyOf(interfaces, interfaces.length + 1);
			interfaces[interfaces.length - 1] = DeferredAckChannel.class;
		}
		return proxy(target, interfaces, (method, args) -> {
			if (acks != null && args != null) {
				switch (method.getName()) {
					case "basicAck" -> {
						acks.ack((long) args[0]);
						return null;
					}
					case "basicNack" -> {
						acks.reject((long) args[0], (boolean) args[1], (boolean) args[2]);
						return null;
					}
					case "basicReject" -> {
						acks.reject((long) args[0], false, (boolean) args[1]);
						return null;
					}
					case "ackWhenDone" -> {
						acks.ackWhenDone((long) args[0], (CompletionStage<?>) args[1]);
						return null;
					}
					case "close", "abort" -> acks.flushBeforeClose(CLOSE_WAIT);
					default -> {
					}
				}
			}
			else if (acks != null && (method.getName().equals("close") || method.getName().equals("abort"))) {
				acks.flushBeforeClose(CLOSE_WAIT);
			}
			if (method.getName().equals("basicConsume") && args != null
					&& args[args.length - 1] instanceof Consumer consumer) {
				CancelTrackingConsumer tracking = new CancelTrackingConsumer(consumer);
				args[args.length - 1] = tracking;
				Object tag = invoke(target, method, args);
				consumers.put((String) tag, tracking);
				return tag;
			}
			if (method.getName().equals("basicCancel") && args != null && args.length == 1) {
				CancelTrackingConsumer tracking = consumers.remove((String) args[0]);
				Object result = invoke(target, method, args);
				if (tracking != null) {
					tracking.awaitCancelOk();
				}
				return result;
			}
			return invoke(target, method, args);
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Object target, Class<?>[] interfaces, Handler handler) {
		InvocationHandler invocationHandler = (proxy, method, args) -> switch (method.getName()) {
			case "equals" -> (args != null && args.length == 1 && method.getParameterCount() == 1)
					? proxy == args[0] : handler.handle(method, args);
			case "hashCode" -> (method.getParameterCount() == 0) ? System.identityHashCode(proxy)
					: handler.handle(method, args);
			case "toString" -> (method.getParameterCount() == 0) ? target.toString() : handler.handle(method, args);
			default -> handler.handle(method, args);
		};
		return (T) Proxy.newProxyInstance(CancelDrainingConnectionFactory.class.getClassLoader(), interfaces,
				invocationHandler);
	}

	private static @Nullable Object invoke(Object target, Method method, Object @Nullable [] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	@FunctionalInterface
	private interface Handler {

		@Nullable Object handle(Method method, Object @Nullable [] args) throws Throwable;

	}

	/**
	 * Passes every callback on and notes when the consumer's cancellation has gone through
	 * the dispatcher.
	 */
	private static final class CancelTrackingConsumer implements Consumer {

		private static final ThreadLocal<Boolean> inCallback = ThreadLocal.withInitial(() -> false);

		private final Consumer delegate;

		private final CountDownLatch cancelled = new CountDownLatch(1);

		CancelTrackingConsumer(Consumer delegate) {
			this.delegate = delegate;
		}

		void awaitCancelOk() {
			// A cancel from within a callback (the broker cancelled the consumer) would wait for
			// the very dispatcher thread it runs on.
			if (inCallback.get()) {
				return;
			}
			try {
				this.cancelled.await(CANCEL_OK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void handleConsumeOk(String consumerTag) {
			callback(() -> this.delegate.handleConsumeOk(consumerTag));
		}

		@Override
		public void handleCancelOk(String consumerTag) {
			try {
				callback(() -> this.delegate.handleCancelOk(consumerTag));
			}
			finally {
				this.cancelled.countDown();
			}
		}

		@Override
		public void handleCancel(String consumerTag) throws IOException {
			try {
				inCallback.set(true);
				this.delegate.handleCancel(consumerTag);
			}
			finally {
				inCallback.set(false);
				this.cancelled.countDown();
			}
		}

		@Override
		public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
			try {
				callback(() -> this.delegate.handleShutdownSignal(consumerTag, sig));
			}
			finally {
				this.cancelled.countDown();
			}
		}

		@Override
		public void handleRecoverOk(String consumerTag) {
			callback(() -> this.delegate.handleRecoverOk(consumerTag));
		}

		@Override
		public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
				byte[] body) throws IOException {
			try {
				inCallback.set(true);
				this.delegate.handleDelivery(consumerTag, envelope, properties, body);
			}
			finally {
				inCallback.set(false);
			}
		}

		private static void callback(Runnable callback) {
			try {
				inCallback.set(true);
				callback.run();
			}
			finally {
				inCallback.set(false);
			}
		}

	}

}
