package io.hare.connection;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.util.Assert;

/**
 * A connection Hare consumes and publishes on, with the admin that declares and re-declares
 * Hare's topology on it and the template Hare republishes through.
 */
public final class HareConnection {

	/**
	 * The name of the connection made from Spring Boot's {@code spring.rabbitmq.*} settings.
	 */
	public static final String DEFAULT = "default";

	private final String name;

	private final ConnectionFactory connectionFactory;

	private final RabbitAdmin admin;

	private final RabbitTemplate template;

	private final ConfirmType confirmType;

	/**
	 * Create a connection on a connection factory with publisher confirms on.
	 * @param name the connection's name
	 * @param connectionFactory the connection factory
	 * @throws IllegalStateException if the connection factory has publisher confirms off
	 */
	public HareConnection(String name, ConnectionFactory connectionFactory) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		this.name = name;
		this.connectionFactory = connectionFactory;
		this.confirmType = confirmTypeOf(connectionFactory);
		Assert.state(this.confirmType != ConfirmType.NONE, () -> "Hare needs publisher confirms on connection '"
				+ name + "' to never lose a retried message; set spring.rabbitmq.publisher-confirm-type=correlated");
		this.admin = new RabbitAdmin(connectionFactory);
		this.admin.setRedeclareManualDeclarations(true);
		// The admin declares everything again on each new connection, inside the connection
		// factory's lock; with its default retries a refused queue (its home node down in a
		// cluster) held every consumer back for seconds. Hare's declarers try again themselves.
		this.admin.setRetryTemplate(null);
		this.admin.setBeanName("hareAdmin-" + name);
		this.admin.afterPropertiesSet();
		this.template = new RabbitTemplate(connectionFactory);
		this.template.setMandatory(true);
	}

	private static ConfirmType confirmTypeOf(ConnectionFactory connectionFactory) {
		if (connectionFactory.isSimplePublisherConfirms()) {
			return ConfirmType.SIMPLE;
		}
		return connectionFactory.isPublisherConfirms() ? ConfirmType.CORRELATED : ConfirmType.NONE;
	}

	public String getName() {
		return this.name;
	}

	public ConnectionFactory getConnectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * Return the admin that declares Hare's topology on this connection, again after every
	 * reconnect.
	 * @return the admin
	 */
	public RabbitAdmin getAdmin() {
		return this.admin;
	}

	/**
	 * Return the template Hare republishes through: mandatory, on this connection.
	 * @return the template
	 */
	public RabbitTemplate getTemplate() {
		return this.template;
	}

	public ConfirmType getConfirmType() {
		return this.confirmType;
	}

	/**
	 * Describe where this connection goes, never with its password.
	 * @return for example {@code guest@127.0.0.1:5672, virtual host '/'}
	 */
	public String describeTarget() {
		return this.connectionFactory.getUsername() + "@" + this.connectionFactory.getHost() + ":"
				+ this.connectionFactory.getPort() + ", virtual host '" + this.connectionFactory.getVirtualHost() + "'";
	}

	@Override
	public String toString() {
		return "HareConnection '" + this.name + "' (" + describeTarget() + ")";
	}

}
