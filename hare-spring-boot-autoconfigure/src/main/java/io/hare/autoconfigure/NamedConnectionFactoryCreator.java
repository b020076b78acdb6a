package io.hare.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.connection.HareConnection;
import io.hare.connection.HareConnectionFactoryCustomizer;
import io.hare.connection.NamedConnectionFactories;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.AddressShuffleMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Creates the connection factory of each {@code hare.connections.<name>} the way Spring Boot
 * creates its own, through Boot's configurers: target and credentials from the named
 * connection, every other setting (timeouts, heartbeat, channel cache) from
 * {@code spring.rabbitmq.*}, and always correlated confirms and returns.
 */
final class NamedConnectionFactoryCreator {

	private static final Log logger = LogFactory.getLog(NamedConnectionFactoryCreator.class);

	private final Binder binder;

	private final ResourceLoader resourceLoader;

	private final @Nullable SslBundles sslBundles;

	private final List<HareConnectionFactoryCustomizer> customizers;

	NamedConnectionFactoryCreator(Binder binder, ResourceLoader resourceLoader, @Nullable SslBundles sslBundles,
			List<HareConnectionFactoryCustomizer> customizers) {
		this.binder = binder;
		this.resourceLoader = resourceLoader;
		this.sslBundles = sslBundles;
		this.customizers = customizers;
	}

	NamedConnectionFactories createAll(Map<String, HareProperties.Connection> connections) {
		Map<String, CachingConnectionFactory> factories = new LinkedHashMap<>();
		try {
			connections.forEach((name, connection) -> factories.put(name, create(name, connection)));
		}
		catch (RuntimeException ex) {
			factories.values().forEach(CachingConnectionFactory::destroy);
			throw ex;
		}
		return new NamedConnectionFactories(factories);
	}

	CachingConnectionFactory create(String name, HareProperties.Connection connection) {
		if (HareConnection.DEFAULT.equals(name)) {
			throw new InvalidConfigurationPropertyValueException("hare.connections." + name, name,
					"'default' is Spring Boot's connection (spring.rabbitmq.*); give this one another name");
		}
		NamedConnectionTarget target = NamedConnectionTarget.of(name, connection);
		RabbitProperties rabbit = rabbitProperties(target, connection);
		SslBundle sslBundle = sslBundle(name, connection);
		RabbitConnectionDetails details = new NamedConnectionDetails(target, sslBundle);
		BundleRabbitConnectionFactoryBean factoryBean = new BundleRabbitConnectionFactoryBean(sslBundle);
		new RabbitConnectionFactoryBeanConfigurer(this.resourceLoader, rabbit, details).configure(factoryBean);
		CachingConnectionFactory factory;
		try {
			factoryBean.afterPropertiesSet();
			factory = new CachingConnectionFactory(factoryBean.getObject());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not create Hare connection '" + name + "' (" + target + "): "
					+ ex.getClass().getSimpleName(), ex);
		}
		new CachingConnectionFactoryConfigurer(rabbit, details).configure(factory);
		factory.setPublisherConfirmType(ConfirmType.CORRELATED);
		factory.setPublisherReturns(true);
		// The connection's name shows in the management UI and rabbitmqctl list_connections.
		factory.setConnectionNameStrategy((connectionFactory) -> "hare:" + name);
		factory.setBeanName("hareConnectionFactory-" + name);
		this.customizers.forEach((customizer) -> customizer.customize(name, factory));
		logger.debug("Created Hare connection '" + name + "' to " + target);
		return factory;
	}

	/**
	 * Start from {@code spring.rabbitmq.*} for everything but the target, which is the named
	 * connection's alone: the default connection's credentials are never sent elsewhere.
	 */
	private RabbitProperties rabbitProperties(NamedConnectionTarget target, HareProperties.Connection connection) {
		RabbitProperties rabbit = this.binder.bindOrCreate("spring.rabbitmq", RabbitProperties.class);
		rabbit.setAddresses(List.of());
		rabbit.setHost(target.host());
		rabbit.setPort(target.port());
		if (target.addresses().size() > 1) {
			// Spread connections over the nodes, and let each find a live one first time.
			rabbit.setAddressShuffleMode(AddressShuffleMode.RANDOM);
		}
		rabbit.setVirtualHost(target.virtualHost());
		rabbit.setUsername(target.username());
		rabbit.setPassword(target.password());
		rabbit.getSsl().setEnabled(target.ssl());
		rabbit.getSsl().setBundle(connection.getSsl().getBundle());
		rabbit.setPublisherConfirmType(ConfirmType.CORRELATED);
		rabbit.setPublisherReturns(true);
		return rabbit;
	}

	private @Nullable SslBundle sslBundle(String name, HareProperties.Connection connection) {
		String bundle = connection.getSsl().getBundle();
		if (!StringUtils.hasText(bundle)) {
			return null;
		}
		if (this.sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException("hare.connections." + name + ".ssl.bundle", bundle,
					"no SSL bundles are configured (spring.ssl.bundle.*)");
		}
		return this.sslBundles.getBundle(bundle);
	}

	/**
	 * The named connection as Spring Boot's configurers read it.
	 */
	private record NamedConnectionDetails(NamedConnectionTarget target,
			@Nullable SslBundle bundle) implements RabbitConnectionDetails {

		@Override
		public String getUsername() {
			return this.target.username();
		}

		@Override
		public String getPassword() {
			return this.target.password();
		}

		@Override
		public String getVirtualHost() {
			return this.target.virtualHost();
		}

		@Override
		public List<Address> getAddresses() {
			return this.target.addresses();
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			return this.bundle;
		}

		@Override
		public String toString() {
			return this.target.toString();
		}

	}

	/**
	 * Sets TLS up from an SSL bundle, as Spring Boot's own (package-private) factory bean does.
	 */
	private static final class BundleRabbitConnectionFactoryBean extends RabbitConnectionFactoryBean {

		private final @Nullable SslBundle sslBundle;

		private boolean enableHostnameVerification = true;

		BundleRabbitConnectionFactoryBean(@Nullable SslBundle sslBundle) {
			this.sslBundle = sslBundle;
		}

		@Override
		public void setEnableHostnameVerification(boolean enable) {
			this.enableHostnameVerification = enable;
			super.setEnableHostnameVerification(enable);
		}

		@Override
		protected void setUpSSL() {
			if (this.sslBundle == null) {
				super.setUpSSL();
				return;
			}
			this.connectionFactory.useSslProtocol(this.sslBundle.createSslContext());
			if (this.enableHostnameVerification) {
				this.connectionFactory.enableHostnameVerification();
			}
		}

	}

}
