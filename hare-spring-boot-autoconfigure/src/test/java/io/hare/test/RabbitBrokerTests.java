package io.hare.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hare.test.RabbitBroker.CtlTarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which {@code rabbitmqctl} {@link RabbitBroker} runs for the broker in use, decided without
 * stopping or touching any broker.
 */
class RabbitBrokerTests {

	@ParameterizedTest
	@CsvSource({ "amqp://guest:guest@127.0.0.1:5672/, LOCAL_NODE", "amqp://localhost, LOCAL_NODE",
			"amqps://guest:guest@localhost:5671/, LOCAL_NODE", "amqp://[::1]:5672, LOCAL_NODE",
			"amqp://guest:guest@127.0.0.1:5673/, NONE", "amqp://shop:s3cret@rabbit.example.com:5672/shop, NONE",
			"amqp://10.0.0.5, NONE" })
	void runsTheLocalRabbitmqctlOnlyForTheLocalNode(String url, CtlTarget target) {
		assertThat(RabbitBroker.fromUrl(url).ctlTarget()).isEqualTo(target);
	}

	@Test
	void runsTheContainersOwnRabbitmqctlForATestcontainersBroker() {
		// A container's port is mapped to a loopback address, which alone would say "local".
		assertThat(RabbitBroker.ctlTarget("localhost", 32768, true)).isEqualTo(CtlTarget.CONTAINER);
		assertThat(RabbitBroker.ctlTarget("localhost", 5672, true)).isEqualTo(CtlTarget.CONTAINER);
	}

	@Test
	void refusesToRunTheLocalRabbitmqctlForAnotherBrokerNamedByRabbitmqUrl() {
		RabbitBroker remote = RabbitBroker.fromUrl("amqp://shop:s3cret@rabbit.example.com:5672/shop");
		assertThatIllegalStateException().isThrownBy(() -> remote.ctl("list_queues", "name"))
			.withMessageContaining("rabbit.example.com:5672")
			.withMessageContaining("RABBITMQ_URL")
			.withMessageNotContaining("s3cret");
	}

}
