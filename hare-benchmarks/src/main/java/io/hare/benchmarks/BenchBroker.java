package io.hare.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The benchmarks' own connection to the broker: random queue names it deletes at the end,
 * publishing backlogs with confirms, and reading queue depths.
 */
final class BenchBroker implements AutoCloseable {

	// Up to this many unconfirmed before waiting: large backlogs (1M) are published with fewer stops.
	private static final int CONFIRM_BATCH = 2000;

	private final BenchmarkOptions.Broker broker;

	private final ConnectionFactory factory = new ConnectionFactory();

	private final List<String> queues = new ArrayList<>();

	private final List<String> exchanges = new ArrayList<>();

	private Connection connection;

	private Channel channel;

	BenchBroker(BenchmarkOptions.Broker broker) throws IOException, TimeoutException {
		this.broker = broker;
		this.factory.setHost(broker.host());
		this.factory.setPort(broker.port());
		this.factory.setUsername(broker.username());
		this.factory.setPassword(broker.password());
		this.factory.setVirtualHost(broker.virtualHost());
		// A connection closed under the benchmarks (the broker is shared) is opened anew on next use.
		this.factory.setAutomaticRecoveryEnabled(false);
		this.connection = this.factory.newConnection("hare-benchmarks");
		this.channel = newChannel();
	}

	private Channel newChannel() throws IOException {
		Channel channel = this.connection.createChannel();
		channel.confirmSelect();
		return channel;
	}

	private Channel channel() throws IOException {
		if (!this.connection.isOpen()) {
			try {
				this.connection = this.factory.newConnection("hare-benchmarks");
			}
			catch (TimeoutException ex) {
				throw new IOException("Could not connect to " + this.broker.masked(), ex);
			}
		}
		if (!this.channel.isOpen()) {
			this.channel = newChannel();
		}
		return this.channel;
	}

	BenchmarkOptions.Broker address() {
		return this.broker;
	}

	/**
	 * Return the broker's product and version, for the report.
	 * @return such as {@code RabbitMQ 3.10.8}
	 */
	String serverVersion() {
		return this.connection.getServerProperties().get("product") + " "
				+ this.connection.getServerProperties().get("version");
	}

	/**
	 * Return a new random queue name; the queue and the retry and dead-letter queues Hare
	 * would give it are deleted at the end.
	 * @param prefix what the name says
	 * @return the name
	 */
	String newQueue(String prefix) {
		String name = "hare-bench-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.queues.add(name);
		this.queues.add(name + ".delay");
		for (int level = 1; level <= 5; level++) {
			this.queues.add(name + ".delay." + level);
		}
		this.queues.add(name + ".dead");
		// The Spring Cloud Stream binder's dead-letter queue.
		this.queues.add(name + ".dlq");
		return name;
	}

	/**
	 * Return a new random exchange name, for an exchange someone else declares; it is deleted
	 * at the end.
	 * @param prefix what the name says
	 * @return the name
	 */
	synchronized String newExchangeName(String prefix) {
		String name = "hare-bench-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.exchanges.add(name);
		return name;
	}

	/**
	 * Declare a new durable direct exchange with a random name, deleted at the end, and bind a
	 * queue to it with the queue's name as the routing key.
	 * @param prefix what the name says
	 * @param queue the queue to bind
	 * @return the exchange name
	 */
	synchronized String newExchange(String prefix, String queue) throws IOException {
		String name = "hare-bench-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.exchanges.add(name);
		channel().exchangeDeclare(name, "direct", true);
		channel().queueBind(queue, name, queue);
		return name;
	}

	/**
	 * Declare a durable classic queue without arguments, as Hare declares a listener's queue.
	 * @param name the queue name
	 */
	synchronized void declareQueue(String name) throws IOException {
		channel().queueDeclare(name, true, false, false, null);
	}

	/**
	 * Declare a durable quorum queue, as Hare declares a listener's queue of type quorum.
	 * @param name the queue name
	 */
	synchronized void declareQuorumQueue(String name) throws IOException {
		channel().queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum"));
	}

	/**
	 * Publish persistent JSON messages to a queue through the default exchange and wait until
	 * the broker confirmed them all.
	 * @param queue the queue
	 * @param count how many
	 * @param body the body of the message with the given id
	 */
	synchronized void publish(String queue, long count, LongFunction<byte[]> body)
			throws IOException, InterruptedException, TimeoutException {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.build();
		Channel channel = channel();
		for (long id = 0; id < count; id++) {
			channel.basicPublish("", queue, properties, body.apply(id));
			if ((id + 1) % CONFIRM_BATCH == 0) {
				channel.waitForConfirmsOrDie(60_000);
			}
		}
		channel.waitForConfirmsOrDie(60_000);
	}

	/**
	 * Return the messages ready in a queue and the consumers on it.
	 * @param queue the queue
	 * @return its state
	 */
	synchronized QueueState state(String queue) throws IOException {
		AMQP.Queue.DeclareOk ok = channel().queueDeclarePassive(queue);
		return new QueueState(ok.getMessageCount(), ok.getConsumerCount());
	}

	synchronized void deleteQueue(String queue) throws IOException {
		channel().queueDelete(queue);
	}

	synchronized void deleteExchange(String exchange) throws IOException {
		channel().exchangeDelete(exchange);
	}

	synchronized void purge(String queue) throws IOException {
		channel().queuePurge(queue);
	}

	@Override
	public synchronized void close() throws IOException {
		try {
			for (String queue : this.queues) {
				// queue.delete of a queue that does not exist succeeds, so no channel is lost.
				channel().queueDelete(queue);
			}
			for (String exchange : this.exchanges) {
				channel().exchangeDelete(exchange);
			}
		}
		finally {
			if (this.connection.isOpen()) {
				this.connection.close();
			}
		}
	}

	/**
	 * What a passive declare says about a queue.
	 *
	 * @param ready the messages ready
	 * @param consumers the consumers
	 */
	record QueueState(long ready, int consumers) {
	}

}
