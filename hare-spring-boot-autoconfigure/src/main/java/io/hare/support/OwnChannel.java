package io.hare.support;

import com.rabbitmq.client.Channel;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.core.ChannelCallback;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;
import org.springframework.util.Assert;

/**
 * Runs work that takes messages with {@code basic.get} on a channel of its own, outside the
 * connection factory's channel cache: a cached channel would be reopened on a new connection
 * behind the caller's back, where the delivery tags it holds mean nothing. Closing the channel
 * returns whatever it took and did not ack. Hare's dead-letter redriver and the migration of
 * its delay queues use it. Internal to Hare.
 */
public final class OwnChannel {

	private OwnChannel() {
	}

	/**
	 * Run a callback on a new channel, closed afterwards.
	 * @param <T> the result type
	 * @param connectionFactory the connection factory to open the channel on
	 * @param callback the work
	 * @return what the callback returned
	 * @throws org.springframework.amqp.AmqpException if the callback or the broker failed
	 */
	public static <T> T execute(ConnectionFactory connectionFactory, ChannelCallback<T> callback) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Connection connection = connectionFactory.createConnection();
		Channel channel = null;
		try {
			channel = connection.getDelegate().createChannel();
			Assert.state(channel != null, "The broker has no channel left on this connection");
			return callback.doInRabbit(channel);
		}
		catch (Exception ex) {
			throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
		}
		finally {
			RabbitUtils.closeChannel(channel);
			RabbitUtils.closeConnection(connection);
		}
	}

}
