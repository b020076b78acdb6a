package io.hare.listener;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import io.hare.connection.CancelDrainingConnectionFactory;
import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.delay.DelayInfrastructure;
import io.hare.delay.HareDelays;
import io.hare.retry.HareDelayedRepublisher;
import io.hare.retry.HareRepublisher;
import io.hare.retry.HareRetryPolicy;
import io.hare.retry.RetryPolicy;
import io.hare.retry.RetryRouter;
import io.hare.scaling.AutoScalingPolicy;
import io.hare.scaling.QueueDepthAutoScaler;
import io.hare.scaling.QueueDepthReader;
import io.hare.topology.ListenerTopology;
import io.hare.topology.TopologyDeclarer;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.listener.adapter.HandlerAdapter;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.adapter.MessagingMessageListenerAdapter;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * Builds the container, message listener and retry router of a listener from its settings.
 * Longer than most classes: it wires each kind of listener (single messages, batches, broadcast,
 * streams) onto Spring AMQP's container, while what each does lives in its own listener class.
 */
public class HareListenerContainerFactory implements DisposableBean {

	private static final Log logger = LogFactory.getLog(HareListenerContainerFactory.class);

	private final HareConnections connections;

	private final MessageHandlerMethodFactory handlerMethodFactory;

	private final HareMessageConverter messageConverter;

	private final ApplicationContext applicationContext;

	private Duration confirmTimeout = Duration.ofSeconds(10);

	private boolean ignoreDeclarationConflicts;

	private List<HareStreamFailureCallback> streamFailureCallbacks = List.of();

	private @Nullable TaskScheduler taskScheduler;

	private @Nullable ThreadPoolTaskScheduler ownTaskScheduler;

	private @Nullable HareDelays delays;

	private List<HareListenerObserver> observers = List.of();

	private boolean observationEnabled;

	private @Nullable ContainerCustomizer<SimpleMessageListenerContainer> containerCustomizer;

	private @Nullable HareRetryPolicy retryPolicy;

	private @Nullable TaskExecutor breakerExecutor;

	private @Nullable IdempotentHandlers idempotentHandlers;

	private @Nullable StreamProtocol streamProtocol;

	private final AtomicBoolean protocolLogged = new AtomicBoolean();

	public HareListenerContainerFactory(HareConnections connections, MessageHandlerMethodFactory handlerMethodFactory,
			HareMessageConverter messageConverter, ApplicationContext applicationContext) {
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(handlerMethodFactory, "'handlerMethodFactory' must not be null");
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		Assert.notNull(applicationContext, "'applicationContext' must not be null");
		this.connections = connections;
		this.handlerMethodFactory = handlerMethodFactory;
		this.messageConverter = messageConverter;
		this.applicationContext = applicationContext;
	}

	/**
	 * Set how long a retry or dead-letter copy may wait for the broker's confirm before the
	 * original is requeued.
	 * @param confirmTimeout the confirm timeout
	 */
	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Set whether a declaration the broker refuses is logged instead of failing the start.
	 * @param ignoreDeclarationConflicts whether to ignore declaration conflicts
	 */
	public void setIgnoreDeclarationConflicts(boolean ignoreDeclarationConflicts) {
		this.ignoreDeclarationConflicts = ignoreDeclarationConflicts;
	}

	/**
	 * Set the callbacks told when the handler of a stream listener fails.
	 * @param streamFailureCallbacks the callbacks, in order
	 */
	public void setStreamFailureCallbacks(List<HareStreamFailureCallback> streamFailureCallbacks) {
		this.streamFailureCallbacks = List.copyOf(streamFailureCallbacks);
	}

	/**
	 * Set the scheduler that runs the auto-scalers' checks and sends acks held back for their
	 * batch timeout; by default the factory makes its own, with one daemon thread, when the
	 * first listener that needs it is created.
	 * @param taskScheduler the scheduler
	 */
	public void setTaskScheduler(TaskScheduler taskScheduler) {
		this.taskScheduler = taskScheduler;
	}

	/**
	 * Set the delay levels that retries with exponential backoff wait in.
	 * @param delays the delay levels of every connection, or {@code null} if they are off
	 */
	public void setDelays(@Nullable HareDelays delays) {
		this.delays = delays;
	}

	/**
	 * Create a listener, not started.
	 * @param endpoint the listener's settings and handler
	 * @return the listener
	 */
	public HareListenerContainer create(HareListenerEndpoint endpoint) {
		ListenerSettings settings = endpoint.settings();
		HareConnection connection = this.connections.get(settings.connection());
		ListenerTopology topology = settings.topology();
		boolean stream = settings.isStream();
		RetryPolicy retryPolicy = settings.retryPolicy();
		DelayInfrastructure delayLevels = (retryPolicy != null && retryPolicy.isExponential())
				? delayLevels(settings, connection) : null;
		TopologyDeclarer declarer = (delayLevels != null)
				? new DelayedRetryTopologyDeclarer(connection.getAdmin(), this.ignoreDeclarationConflicts, delayLevels)
				: new TopologyDeclarer(connection.getAdmin(), this.ignoreDeclarationConflicts);
		StreamPosition streamPosition = new StreamPosition();
		SimpleMessageListenerContainer container = stream
				? new StreamListenerContainer(connection.getConnectionFactory(), settings.id(), settings.streamOffset(),
						streamPosition)
				: new SimpleMessageListenerContainer(consumerConnectionFactory(connection, settings.ack()));
		if (this.containerCustomizer != null) {
			// First, so that Hare's own settings below win over it.
			this.containerCustomizer.configure(container);
		}
		container.setQueueNames(topology.queue());
		int consumers = settings.concurrency();
		container.setConcurrentConsumers(consumers);
		if (settings.prefetch() != null) {
			container.setPrefetchCount(settings.prefetch());
		}
		// AUTO: the container acks when the listener returns and requeues when it throws, which
		// the listener does only when a retry copy could not be confirmed.
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setDefaultRequeueRejected(true);
		container.setMissingQueuesFatal(false);
		container.setAmqpAdmin(connection.getAdmin());
		BatchSettings batch = settings.batch();
		if (batch != null) {
			container.setConsumerBatchEnabled(true);
			container.setBatchSize(batch.size());
			container.setReceiveTimeout(batch.receiveTimeout().toMillis());
			// A consumer can only fill a batch with messages the broker sent it.
			int prefetch = (settings.prefetch() != null) ? settings.prefetch()
					: AbstractMessageListenerContainer.DEFAULT_PREFETCH_COUNT;
			container.setPrefetchCount(Math.max(batch.size(), prefetch));
		}
		ListenerCircuitBreaker circuitBreaker = circuitBreaker(settings);
		container.setMessageListener((retryPolicy != null)
				? retryingListener(endpoint, connection, topology, declarer, retryPolicy, delayLevels, circuitBreaker)
				: settings.isBroadcast() ? broadcastListener(endpoint, topology)
						: streamListener(endpoint, connection, topology, streamPosition, container::isRunning));
		container.setObservationEnabled(this.observationEnabled);
		container.setApplicationContext(this.applicationContext);
		container.setApplicationEventPublisher(this.applicationContext);
		container.setBeanName("hare-" + settings.id());
		container.setAutoStartup(false);
		container.afterPropertiesSet();
		QueueDepthAutoScaler autoScaler = null;
		AutoScalingPolicy policy = settings.autoScaling();
		if (policy != null) {
			autoScaler = new QueueDepthAutoScaler(settings.id(), topology.queue(), policy,
					QueueDepthReader.of(connection.getAdmin()), container, consumers, taskScheduler(),
					this.applicationContext);
			consumers = autoScaler.getDesiredConsumers();
		}
		HareListenerContainer listener = new HareListenerContainer(endpoint, topology, declarer, container, consumers,
				autoScaler, this.observers);
		listener.setCircuitBreaker(circuitBreaker);
		if (stream) {
			listener.setStreamConsumer(streamConsumer(endpoint, connection, topology));
		}
		this.observers.forEach((observer) -> observer.listenerCreated(listener));
		return listener;
	}

	// Acks are batched below Spring AMQP's container, which still acks each message in AUTO mode
	// (its own batchSize would leave a stopping consumer's last batch unacked and nack a whole
	// batch for one failure): the channel holds them back and sends one multiple ack per batch.
	private ConnectionFactory consumerConnectionFactory(HareConnection connection, AckSettings ack) {
		if (!ack.isBatched()) {
			return CancelDrainingConnectionFactory.wrap(connection.getConnectionFactory());
		}
		return CancelDrainingConnectionFactory.wrap(connection.getConnectionFactory(), ack.batchSize(),
				ack.batchTimeout(), taskScheduler());
	}

	private DelayInfrastructure delayLevels(ListenerSettings settings, HareConnection connection) {
		Assert.state(this.delays != null, () -> "Hare listener '" + settings.id()
				+ "' retries with exponential backoff, which waits in Hare's delay levels, and they are off");
		return this.delays.get(connection);
	}

	private MessageListener retryingListener(HareListenerEndpoint endpoint, HareConnection connection,
			ListenerTopology topology, TopologyDeclarer declarer, RetryPolicy retryPolicy,
			@Nullable DelayInfrastructure delayLevels, @Nullable ListenerCircuitBreaker circuitBreaker) {
		String id = endpoint.id();
		RetryRouter retryRouter = new RetryRouter(id, topology, retryPolicy,
				(queue, listenerId) -> new HareRepublisher(connection.getTemplate(), connection.getConfirmType(),
						this.confirmTimeout, queue, listenerId),
				(delayLevels != null) ? new HareDelayedRepublisher(connection.getTemplate(),
						connection.getConfirmType(), this.confirmTimeout, topology.queue(), id, delayLevels)
						: null,
				() -> declarer.declare(id, topology));
		retryRouter.setCustomPolicy(this.retryPolicy);
		if (endpoint.settings().batch() != null) {
			return batchListener(endpoint, retryRouter);
		}
		return new HareMessageListener(idempotent(endpoint, handler(endpoint)), retryRouter,
				endpoint.settings().immediateRetries(), deliveredMessages(endpoint.settings()), circuitBreaker,
				endpoint.id(), topology.queue(), this.observers);
	}

	// Inside the retry handling, so that each attempt is a transaction of its own and a failed
	// one rolls back its inbox record with the handler's work.
	private ChannelAwareMessageListener idempotent(HareListenerEndpoint endpoint, ChannelAwareMessageListener handler) {
		if (!endpoint.settings().idempotent()) {
			return handler;
		}
		IdempotentHandlers idempotentHandlers = this.idempotentHandlers;
		Assert.state(idempotentHandlers != null, () -> "Hare listener '" + endpoint.id()
				+ "' is idempotent, which needs Hare's inbox (hare.inbox.enabled and a DataSource)");
		return idempotentHandlers.wrap(endpoint.id(), handler);
	}

	private @Nullable ListenerCircuitBreaker circuitBreaker(ListenerSettings settings) {
		CircuitBreakerSettings breaker = settings.circuitBreaker();
		if (breaker == null) {
			return null;
		}
		return new ListenerCircuitBreaker(settings.id(), breaker, breakerExecutor(), this.applicationContext);
	}

	private synchronized TaskExecutor breakerExecutor() {
		if (this.breakerExecutor == null) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("hare-breaker-");
			executor.setDaemon(true);
			this.breakerExecutor = executor;
		}
		return this.breakerExecutor;
	}

	private HareBatchMessageListener batchListener(HareListenerEndpoint endpoint, RetryRouter retryRouter) {
		Method method = endpoint.method();
		Assert.state(method != null && endpoint.bean() != null,
				() -> "Hare listener '" + endpoint.id() + "' takes batches only from a @HareListener method");
		Type elementType = (method.getGenericParameterTypes()[0] instanceof ParameterizedType list)
				? list.getActualTypeArguments()[0] : null;
		Class<?> element = (elementType != null) ? ResolvableType.forType(elementType).resolve() : null;
		Assert.state(element != null, () -> "Hare listener '" + endpoint.id() + "' method " + method.getName()
				+ " takes a List of what? Declare its element type, such as List<Order> or List<Message>");
		return new HareBatchMessageListener(endpoint.bean(), method, (element == Message.class) ? null : elementType,
				this.messageConverter, retryRouter, deliveredMessages(endpoint.settings()),
				new ListenerObservers(endpoint.id(), endpoint.settings().queue(), this.observers));
	}

	private DeliveredMessages deliveredMessages(ListenerSettings settings) {
		List<MessagePostProcessor> postProcessors = settings.postProcessors().stream().map((name) -> {
			try {
				return this.applicationContext.getBean(name, MessagePostProcessor.class);
			}
			catch (BeansException ex) {
				throw new IllegalStateException("Hare listener '" + settings.id() + "' names post-processor '" + name
						+ "', which is no MessagePostProcessor bean: " + ex.getMessage(), ex);
			}
		}).toList();
		return new DeliveredMessages(postProcessors);
	}

	private BroadcastMessageListener broadcastListener(HareListenerEndpoint endpoint, ListenerTopology topology) {
		return new BroadcastMessageListener(endpoint.id(), topology.queue(), handler(endpoint),
				deliveredMessages(endpoint.settings()),
				new ListenerObservers(endpoint.id(), topology.queue(), this.observers));
	}

	private HareStreamMessageListener streamListener(HareListenerEndpoint endpoint, HareConnection connection,
			ListenerTopology topology, StreamPosition position, BooleanSupplier running) {
		HareStreamMessageListener listener = new HareStreamMessageListener(endpoint.id(), topology.queue(),
				handler(endpoint), position, this.applicationContext, this.streamFailureCallbacks, this.observers);
		String deadLetter = endpoint.settings().streamDeadLetter();
		if (deadLetter != null) {
			// Published over AMQP 0-9-1 with confirms, whichever protocol the listener reads over.
			listener.setDeadLetterer(new StreamDeadLetterer(endpoint.id(), deadLetter,
					new HareRepublisher(connection.getTemplate(), connection.getConfirmType(), this.confirmTimeout,
							deadLetter, endpoint.id()),
					connection.getAdmin(), topology.queueArguments(), this.confirmTimeout), running);
		}
		return listener;
	}

	private @Nullable StreamProtocolConsumer streamConsumer(HareListenerEndpoint endpoint, HareConnection connection,
			ListenerTopology topology) {
		StreamProtocol protocol = this.streamProtocol;
		boolean available = protocol != null && protocol.isAvailable();
		if (!this.protocolLogged.getAndSet(true)) {
			// Once, as the answer is the same for every stream listener.
			if (protocol == null) {
				logger.info("Hare stream listeners read over AMQP 0-9-1: add com.rabbitmq:stream-client to read over "
						+ "the stream protocol, with offsets stored on the broker");
			}
			else if (available) {
				logger.info("Hare stream listeners read over the stream protocol at " + protocol.describe());
			}
			else {
				// Switching later would change where offsets live (memory, then the broker) mid-run.
				logger.warn("Hare stream listeners read over AMQP 0-9-1 until the application restarts: the broker "
						+ "offers no stream protocol at " + protocol.describe() + " (" + protocol.unavailableReason()
						+ "); their offsets are kept in memory, not on the broker. Enable the rabbitmq_stream "
						+ "plugin or fix hare.streams.*, then restart; hare.streams.enabled=false says AMQP 0-9-1 "
						+ "is meant");
			}
		}
		if (!available) {
			return null;
		}
		ListenerSettings settings = endpoint.settings();
		StreamTracking tracking = settings.streamTracking();
		Assert.state(tracking != null, "a stream listener tracks offsets");
		String name = (tracking.consumerName() != null) ? tracking.consumerName()
				: this.applicationContext.getEnvironment().getProperty("spring.application.name", "application") + "."
						+ settings.id();
		AtomicReference<StreamProtocolConsumer> consumer = new AtomicReference<>();
		HareStreamMessageListener listener = streamListener(endpoint, connection, topology, new StreamPosition(),
				() -> consumer.get().isRunning());
		consumer.set(protocol.createConsumer(settings.id(), topology.queue(), name, settings.streamOffset(), tracking,
				(message) -> listener.onMessage(message, null)));
		return consumer.get();
	}

	private synchronized TaskScheduler taskScheduler() {
		if (this.taskScheduler == null) {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setPoolSize(1);
			scheduler.setThreadNamePrefix("hare-listeners-");
			scheduler.setDaemon(true);
			scheduler.setWaitForTasksToCompleteOnShutdown(false);
			scheduler.initialize();
			this.ownTaskScheduler = scheduler;
			this.taskScheduler = scheduler;
		}
		return this.taskScheduler;
	}

	@Override
	public synchronized void destroy() {
		if (this.ownTaskScheduler != null) {
			this.ownTaskScheduler.shutdown();
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private ChannelAwareMessageListener handler(HareListenerEndpoint endpoint) {
		Method method = endpoint.method();
		if (method == null) {
			return new PayloadHandlerListener(endpoint.payloadType(), endpoint.handler(), this.messageConverter);
		}
		MessagingMessageListenerAdapter adapter = methodHandler(endpoint.bean(), method);
		return PayloadMethodListener.supports(method)
				? new PayloadMethodListener(endpoint.bean(), method, this.messageConverter, adapter) : adapter;
	}

	private MessagingMessageListenerAdapter methodHandler(Object bean, Method method) {
		MessagingMessageListenerAdapter adapter = new MessagingMessageListenerAdapter(bean, method, false, null);
		adapter.setHandlerAdapter(
				new HandlerAdapter(this.handlerMethodFactory.createInvocableHandlerMethod(bean, method)));
		adapter.setMessageConverter(this.messageConverter);
		return adapter;
	}

	/**
	 * Set the policy that has the final word on whether a failure is retried.
	 * @param retryPolicy the policy, or {@code null} for the listeners' settings alone
	 */
	public void setRetryPolicy(@Nullable HareRetryPolicy retryPolicy) {
		this.retryPolicy = retryPolicy;
	}

	/**
	 * Set what makes the handlers of idempotent listeners take effect once per message.
	 * @param idempotentHandlers Hare's inbox, or {@code null} if it is off
	 */
	public void setIdempotentHandlers(@Nullable IdempotentHandlers idempotentHandlers) {
		this.idempotentHandlers = idempotentHandlers;
	}

	/**
	 * Set the stream protocol that stream listeners read over when the broker offers it.
	 * @param streamProtocol the stream protocol, or {@code null} to read streams over AMQP
	 * 0-9-1
	 */
	public void setStreamProtocol(@Nullable StreamProtocol streamProtocol) {
		this.streamProtocol = streamProtocol;
	}

	/**
	 * Set a customizer applied to every container before Hare's own settings, which win over
	 * what it sets.
	 * @param containerCustomizer the customizer
	 */
	public void setContainerCustomizer(ContainerCustomizer<SimpleMessageListenerContainer> containerCustomizer) {
		this.containerCustomizer = containerCustomizer;
	}

	/**
	 * Set the observers told about every listener this factory creates and every message
	 * those listeners handle.
	 * @param observers the observers, in order
	 */
	public void setObservers(List<HareListenerObserver> observers) {
		Assert.notNull(observers, "'observers' must not be null");
		this.observers = List.copyOf(observers);
	}

	/**
	 * Set whether the containers record a Micrometer Observation around every message they
	 * handle, so that tracing follows a message from its publisher to its handler.
	 * @param observationEnabled whether to observe the containers
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

}
