package io.hare.listener;

import java.time.Duration;
import java.util.List;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.retry.HareRepublisher;
import io.hare.retry.RetryRouter;
import io.hare.topology.ListenerTopology;
import io.hare.topology.TopologyDeclarer;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.listener.adapter.HandlerAdapter;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.adapter.MessagingMessageListenerAdapter;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationContext;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;

/**
 * Builds the container, message listener and retry router of a listener from its settings.
 */
public class HareListenerContainerFactory {

	private final HareConnections connections;

	private final MessageHandlerMethodFactory handlerMethodFactory;

	private final HareMessageConverter messageConverter;

	private final ApplicationContext applicationContext;

	private Duration confirmTimeout = Duration.ofSeconds(10);

	private boolean ignoreDeclarationConflicts;

	private List<HareListenerObserver> observers = List.of();

	private boolean observationEnabled;

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
	 * Create a listener, not started.
	 * @param endpoint the listener's settings and handler
	 * @return the listener
	 */
	public HareListenerContainer create(HareListenerEndpoint endpoint) {
		HareListenerSpec spec = endpoint.spec();
		HareConnection connection = connection(spec);
		ListenerTopology topology = spec.topology();
		TopologyDeclarer declarer = new TopologyDeclarer(connection.getAdmin(), this.ignoreDeclarationConflicts);
		RetryRouter retryRouter = new RetryRouter(spec.getId(), topology, spec.retryPolicy(),
				(queue, listenerId) -> new HareRepublisher(connection.getTemplate(), connection.getConfirmType(),
						this.confirmTimeout, queue, listenerId),
				() -> declarer.declare(spec.getId(), topology));
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(
				connection.getConnectionFactory());
		container.setQueueNames(topology.queue());
		container.setConcurrentConsumers(spec.effectiveConcurrency());
		if (spec.getPrefetch() != null) {
			container.setPrefetchCount(spec.getPrefetch());
		}
		// AUTO: the container acks when the listener returns and requeues when it throws, which
		// the listener does only when a retry copy could not be confirmed.
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setDefaultRequeueRejected(true);
		container.setMissingQueuesFatal(false);
		container.setAmqpAdmin(connection.getAdmin());
		container.setMessageListener(
				new HareMessageListener(handler(endpoint), retryRouter, spec.getId(), topology.queue(), this.observers));
		container.setObservationEnabled(this.observationEnabled);
		container.setApplicationContext(this.applicationContext);
		container.setApplicationEventPublisher(this.applicationContext);
		container.setBeanName("hare-" + spec.getId());
		container.setAutoStartup(false);
		container.afterPropertiesSet();
		HareListenerContainer listener = new HareListenerContainer(endpoint, topology, declarer, container,
				this.observers);
		this.observers.forEach((observer) -> observer.listenerCreated(listener));
		return listener;
	}

	private HareConnection connection(HareListenerSpec spec) {
		try {
			return this.connections.get(spec.getConnection());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("hare.listeners." + spec.getId() + ".connection",
					spec.getConnection(), ex.getMessage());
		}
	}

	private MessagingMessageListenerAdapter handler(HareListenerEndpoint endpoint) {
		MessagingMessageListenerAdapter adapter = new MessagingMessageListenerAdapter(endpoint.bean(),
				endpoint.method(), false, null);
		adapter.setHandlerAdapter(new HandlerAdapter(
				this.handlerMethodFactory.createInvocableHandlerMethod(endpoint.bean(), endpoint.method())));
		adapter.setMessageConverter(this.messageConverter);
		return adapter;
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
