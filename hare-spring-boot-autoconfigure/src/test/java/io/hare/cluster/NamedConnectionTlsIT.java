package io.hare.cluster;

import java.nio.file.Path;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.connection.HareConnections;

import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A named connection over TLS, through a Spring Boot SSL bundle, to a cluster node that requires
 * a client certificate: the server's certificate is checked against the bundle's CA and the host
 * name, and the client's certificate is presented.
 */
@Order(Integer.MAX_VALUE - 2)
class NamedConnectionTlsIT {

	private final Path tls = RabbitCluster.get().tls();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, RabbitAutoConfiguration.class,
				HareConnectionsAutoConfiguration.class, HareAutoConfiguration.class))
		.withPropertyValues(RabbitCluster.springProperties())
		.withPropertyValues("hare.connections.secure.host=localhost",
				"hare.connections.secure.port=" + RabbitCluster.TLS_PORT, "hare.connections.secure.ssl.enabled=true",
				"hare.connections.secure.ssl.bundle=client",
				"spring.ssl.bundle.pem.client.keystore.certificate=file:" + this.tls.resolve("client.pem"),
				"spring.ssl.bundle.pem.client.keystore.private-key=file:" + this.tls.resolve("client.key"));

	@Test
	void connectsWithTheBundlesCaCheckingTheHostNameAndPresentingTheClientCertificate() {
		this.runner.withPropertyValues(trustStore("ca.pem")).run((context) -> {
			try (Connection connection = secure(context.getBean(HareConnections.class)).createConnection()) {
				assertThat(connection.isOpen()).isTrue();
				assertThat(connection.getDelegate().getPort()).isEqualTo(RabbitCluster.TLS_PORT);
			}
		});
	}

	@Test
	void refusesAServerWhoseCertificateAnotherCaSigned() {
		this.runner.withPropertyValues(trustStore("other-ca.pem"))
			.run((context) -> assertThatExceptionOfType(AmqpIOException.class)
				.isThrownBy(() -> secure(context.getBean(HareConnections.class)).createConnection())
				.withCauseInstanceOf(SSLHandshakeException.class)
				.withMessageContaining("unable to find valid certification path"));
	}

	@Test
	void refusesAServerWhoseCertificateIsForAnotherHostName() {
		this.runner.withPropertyValues(trustStore("ca.pem"), "hare.connections.secure.host=127.0.0.1")
			.run((context) -> assertThatExceptionOfType(AmqpIOException.class)
				.isThrownBy(() -> secure(context.getBean(HareConnections.class)).createConnection())
				.withCauseInstanceOf(SSLHandshakeException.class)
				.withMessageContaining("No subject alternative names matching IP address 127.0.0.1"));
	}

	@Test
	void theServerRefusesAClientWithoutACertificate() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, RabbitAutoConfiguration.class,
					HareConnectionsAutoConfiguration.class, HareAutoConfiguration.class))
			.withPropertyValues(RabbitCluster.springProperties())
			.withPropertyValues("hare.connections.secure.host=localhost",
					"hare.connections.secure.port=" + RabbitCluster.TLS_PORT,
					"hare.connections.secure.ssl.enabled=true", "hare.connections.secure.ssl.bundle=anonymous",
					"spring.ssl.bundle.pem.anonymous.truststore.certificate=file:" + this.tls.resolve("ca.pem"))
			// The server ends the handshake of a client that presents no certificate.
			.run((context) -> assertThatExceptionOfType(AmqpIOException.class)
				.isThrownBy(() -> secure(context.getBean(HareConnections.class)).createConnection()));
	}

	private String trustStore(String file) {
		return "spring.ssl.bundle.pem.client.truststore.certificate=file:" + this.tls.resolve(file);
	}

	private static ConnectionFactory secure(HareConnections connections) {
		return connections.get("secure").getConnectionFactory();
	}

}
