package io.hare.testing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.listener.HareListenerRegistry;
import io.hare.publish.HarePublishers;
import io.hare.test.BrokerFixture;
import io.hare.topology.ListenerTopology;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A closed application context leaves none of the queues and exchanges Hare declared for its
 * listeners and publishers behind, under a random name prefix.
 */
class HareTestCleanupIT {

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	@Test
	void deletesEveryQueueAndExchangeHareDeclaredWhenTheContextCloses() {
		String levels = this.broker.trackDelayLevels(BrokerFixture.uniqueName("delay"));
		List<String> queues = new ArrayList<>();
		List<String> exchanges = new ArrayList<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class)
			.properties(this.broker.broker().springProperties())
			.properties("hare.delay.prefix=" + levels, "hare.test.name-prefix=hare-test-${random.uuid}.",
					"hare.publishers.audit.exchange=audit")
			.run()) {
			ListenerTopology topology = context.getBean(HareListenerRegistry.class).getListener("orders")
				.orElseThrow()
				.getTopology();
			topology.delayLevels().forEach((delay) -> queues.add(topology.delayQueue(delay)));
			queues.add(topology.deadQueue());
			queues.add(topology.queue());
			exchanges.add(topology.exchange());
			exchanges.add(context.getBean(HarePublishers.class).get("audit").getExchange());
			// Deleted by the fixture should the clean-up fail.
			queues.forEach(this.broker::track);
			exchanges.forEach(this.broker::trackExchange);
			assertThat(queues).hasSize(5).allSatisfy((queue) -> assertThat(this.broker.depth(queue)).isZero());
			assertThat(exchanges).allMatch(this::exchangeExists);
		}
		assertThat(queues).allSatisfy((queue) -> assertThat(this.broker.depth(queue)).as(queue).isEqualTo(-1));
		assertThat(exchanges).noneMatch(this::exchangeExists);
	}

	private boolean exchangeExists(String exchange) {
		try {
			this.broker.template().execute((channel) -> channel.exchangeDeclarePassive(exchange));
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
