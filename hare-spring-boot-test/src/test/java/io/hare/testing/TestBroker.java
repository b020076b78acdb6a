package io.hare.testing;

import io.hare.test.BrokerFixture;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Points a test's application at the test broker, with delay levels under a prefix of its own
 * that a {@link BrokerFixture} bean deletes when the context closes. Use it with
 * {@code @ContextConfiguration(initializers = TestBroker.class)}.
 */
final class TestBroker implements ApplicationContextInitializer<GenericApplicationContext> {

	@Override
	public void initialize(GenericApplicationContext context) {
		BrokerFixture broker = new BrokerFixture();
		String levels = broker.trackDelayLevels(BrokerFixture.uniqueName("delay"));
		TestPropertyValues.of(broker.broker().springProperties()).and("hare.delay.prefix=" + levels).applyTo(context);
		context.registerBean(BrokerFixture.class, () -> broker, (definition) -> definition.setDestroyMethodName("close"));
	}

}
