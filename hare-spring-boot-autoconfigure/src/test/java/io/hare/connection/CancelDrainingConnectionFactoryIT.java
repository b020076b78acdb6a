package io.hare.connection;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link CancelDrainingConnectionFactory} against the real broker: a cancel returns only
 * once the deliveries the broker sent before its cancel-ok have reached the consumer.
 */
class CancelDrainingConnectionFactoryIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("cancel");

	@AutoClose("destroy")
	private final CachingConnectionFactory connectionFactory = this.broker.broker().connectionFactory();

	private void publish(int count) {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		for (int i = 0; i < count; i++) {
			this.broker.publish("", this.queue, new Message(new byte[] { 1 }, new MessageProperties()));
		}
	}

	@Test
	void cancelReturnsOnlyAfterTheDeliveriesSentBeforeItReachedTheConsumer() throws Exception {
		publish(10);
		ConnectionFactory draining = CancelDrainingConnectionFactory.wrap(this.connectionFactory);
		try (Connection connection = draining.createConnection()) {
			Channel channel = connection.createChannel(false);
			assertThat(channel).isInstanceOf(ChannelProxy.class);
			channel.basicQos(10);
			CountDownLatch gate = new CountDownLatch(1);
			AtomicInteger delivered = new AtomicInteger();
			// The first delivery holds the channel's dispatcher, as a busy client would: the
			// other nine wait behind it although the broker has sent them.
			String tag = channel.basicConsume(this.queue, false, Map.of(), new DefaultConsumer(channel) {

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws IOException {
					if (delivered.incrementAndGet() == 1) {
						awaitUninterruptibly(gate);
					}
				}

			});
			await().atMost(TIMEOUT).until(() -> delivered.get() == 1);
			CompletableFuture<Integer> deliveredWhenCancelled = CompletableFuture.supplyAsync(() -> {
				try {
					channel.basicCancel(tag);
					return delivered.get();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> !deliveredWhenCancelled.isDone());
			gate.countDown();
			assertThat(deliveredWhenCancelled.get()).isEqualTo(10);
			channel.close();
		}
	}

	@Test
	void cancelFromWithinACallbackDoesNotWaitForItsOwnDispatcher() throws Exception {
		publish(1);
		ConnectionFactory draining = CancelDrainingConnectionFactory.wrap(this.connectionFactory);
		try (Connection connection = draining.createConnection()) {
			Channel channel = connection.createChannel(false);
			channel.basicQos(1);
			CompletableFuture<Void> cancelled = new CompletableFuture<>();
			channel.basicConsume(this.queue, false, Map.of(), new DefaultConsumer(channel) {

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws IOException {
					channel.basicCancel(consumerTag);
					channel.basicAck(envelope.getDeliveryTag(), false);
					cancelled.complete(null);
				}

			});
			// Waiting for its own cancel-ok would hold the dispatcher for the full timeout.
			await().atMost(Duration.ofMillis(CancelDrainingConnectionFactory.CANCEL_OK_TIMEOUT_MILLIS / 2))
				.until(cancelled::isDone);
			channel.close();
		}
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
