package io.hare.testing;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.autoconfigure.HareProperties;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.listener.HareListenerRegistry;
import io.hare.publish.HarePublishers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * of Hare's test support: the {@link HareTestHarness} and the clean-up of what Hare declared
 * ({@code hare.test.cleanup}).
 */
@AutoConfiguration(after = { HareAutoConfiguration.class, HarePublisherAutoConfiguration.class,
		HareDelayAutoConfiguration.class })
@ConditionalOnBean({ HareListenerRegistry.class, HareConnections.class, HareMessageConverter.class })
public final class HareTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HareTestRecorder hareTestRecorder() {
		return new HareTestRecorder();
	}

	@Bean
	@ConditionalOnMissingBean
	HareTestHarness hareTestHarness(HareTestRecorder recorder, HareListenerRegistry registry,
			HareConnections connections, HareMessageConverter converter, HareProperties properties) {
		return new HareTestHarness(recorder, registry, connections, converter,
				properties.getTest().getAwaitTimeout());
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "hare.test.cleanup", matchIfMissing = true)
	HareTestCleanup hareTestCleanup(HareTestRecorder recorder, HareConnections connections,
			ObjectProvider<HarePublishers> publishers) {
		return new HareTestCleanup(recorder, connections, publishers.stream().toList());
	}

}
