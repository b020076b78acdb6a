package io.hare.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Applies the {@code spring.rabbitmq.listener.simple.*} settings that Hare does not own to
 * Hare's containers, before Hare's own settings. Hare owns acknowledgement, requeueing, retries,
 * batching and consumer counts, which are what its guarantees rest on, so Boot's keys for
 * those apply only to {@code @RabbitListener} containers; a start-up line says so when any is
 * set.
 */
final class BootListenerContainerSettings implements ContainerCustomizer<SimpleMessageListenerContainer> {

	private static final Log logger = LogFactory.getLog(BootListenerContainerSettings.class);

	private final RabbitProperties.SimpleContainer simple;

	BootListenerContainerSettings(RabbitProperties.SimpleContainer simple) {
		this.simple = simple;
		List<String> ignored = ignoredKeys(simple);
		if (!ignored.isEmpty()) {
			logger.info("Hare listeners ignore spring.rabbitmq.listener.simple." + String.join(", ", ignored)
					+ ": Hare acknowledges, retries and sizes its consumers itself; these apply to @RabbitListener "
					+ "containers");
		}
	}

	@Override
	public void configure(SimpleMessageListenerContainer container) {
		PropertyMapper map = PropertyMapper.get();
		map.from(this.simple::getIdleEventInterval).as((interval) -> interval.toMillis())
			.to(container::setIdleEventInterval);
		map.from(this.simple::isForceStop).to(container::setForceStop);
		map.from(this.simple::isDeBatchingEnabled).to(container::setDeBatchingEnabled);
	}

	private static List<String> ignoredKeys(RabbitProperties.SimpleContainer simple) {
		List<String> keys = new ArrayList<>();
		if (simple.getAcknowledgeMode() != null) {
			keys.add("acknowledge-mode");
		}
		if (simple.getDefaultRequeueRejected() != null) {
			keys.add("default-requeue-rejected");
		}
		if (simple.getRetry().isEnabled()) {
			keys.add("retry.enabled");
		}
		if (simple.getMaxConcurrency() != null) {
			keys.add("max-concurrency");
		}
		if (simple.isConsumerBatchEnabled() || simple.getBatchSize() != null) {
			keys.add("consumer-batch-enabled/batch-size");
		}
		return keys;
	}

}
