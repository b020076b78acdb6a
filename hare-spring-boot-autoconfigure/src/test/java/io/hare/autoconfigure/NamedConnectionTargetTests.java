package io.hare.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails.Address;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link NamedConnectionTarget}: a named connection's URI or properties.
 */
class NamedConnectionTargetTests {

	private static NamedConnectionTarget uri(String uri) {
		HareProperties.Connection connection = new HareProperties.Connection();
		connection.setUri(uri);
		return NamedConnectionTarget.of("other", connection);
	}

	@Test
	void readsEveryPartOfAUriPercentDecoded() {
		NamedConnectionTarget target = uri("amqp://us%40er:p%3Ass@broker.example:5673/orders%2Fv2");
		assertThat(target).isEqualTo(new NamedConnectionTarget("broker.example", 5673, "orders/v2", "us@er", "p:ss",
				false));
	}

	@Test
	void uriWithoutPathUsesTheDefaultVirtualHostAndEncodedSlashIsTheRoot() {
		assertThat(uri("amqp://broker").virtualHost()).isEqualTo("/");
		assertThat(uri("amqp://broker/").virtualHost()).isEqualTo("/");
		assertThat(uri("amqp://broker/%2F").virtualHost()).isEqualTo("/");
		assertThat(uri("amqp://broker").port()).isEqualTo(5672);
	}

	@Test
	void amqpsMeansTlsOnPort5671() {
		NamedConnectionTarget target = uri("amqps://user:secret@broker");
		assertThat(target.ssl()).isTrue();
		assertThat(target.port()).isEqualTo(5671);
	}

	@Test
	void separatePropertiesWithTlsFlagDefaultToPort5671() {
		HareProperties.Connection connection = new HareProperties.Connection();
		connection.setHost("broker");
		connection.setVirtualHost("billing");
		connection.getSsl().setEnabled(true);
		NamedConnectionTarget target = NamedConnectionTarget.of("billing", connection);
		assertThat(target).isEqualTo(new NamedConnectionTarget("broker", 5671, "billing", "guest", "guest", true));
	}

	@Test
	void addressesWinOverHostAndPortAndTakeTheDefaultPortWhenTheyNameNone() {
		HareProperties.Connection connection = new HareProperties.Connection();
		connection.setUri("amqps://billing:secret@ignored:1234/billing");
		connection.setAddresses(List.of("mq-1.internal:5682", " mq-2.internal "));
		NamedConnectionTarget target = NamedConnectionTarget.of("billing", connection);
		assertThat(target.addresses()).containsExactly(new Address("mq-1.internal", 5682),
				new Address("mq-2.internal", 5671));
		assertThat(target.host()).isEqualTo("mq-1.internal");
		assertThat(target.port()).isEqualTo(5682);
		assertThat(target.username()).isEqualTo("billing");
		assertThat(target.virtualHost()).isEqualTo("billing");
		assertThat(target).hasToString("billing:****@mq-1.internal:5682,mq-2.internal:5671, virtual host 'billing', TLS");
	}

	@Test
	void aBadAddressFailsNamingTheProperty() {
		HareProperties.Connection connection = new HareProperties.Connection();
		connection.setAddresses(List.of("mq-1:5672", "mq-2:port"));
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> NamedConnectionTarget.of("billing", connection))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.connections.billing.addresses"))
			.withMessageContaining("host:port");
	}

	@Test
	void aBadUriFailsNamingThePropertyWithThePasswordMasked() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> uri("http://user:topsecret@broker"))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.connections.other.uri"))
			.withMessageContaining("amqp or amqps")
			.withMessageNotContaining("topsecret");
	}

	@Test
	void describesItselfWithoutThePassword() {
		assertThat(uri("amqp://user:topsecret@broker/v").toString()).contains("user", "broker")
			.doesNotContain("topsecret");
		HareProperties.Connection connection = new HareProperties.Connection();
		connection.setUri("amqp://user:topsecret@broker/v");
		connection.setPassword("alsosecret");
		assertThat(connection.toString()).doesNotContain("topsecret").doesNotContain("alsosecret");
	}

}
