package io.hare.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.hare.publish.HarePublishObserver;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishResult;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application of the outbox scenario: a data source, Hare's outbox and a publisher from
 * properties, Spring Boot's {@code RabbitTemplate} for the plain contender, and a probe that
 * notes when the broker confirmed each message the relay sent.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class OutboxApplication {

	@Bean
	ConfirmProbe confirmProbe() {
		return new ConfirmProbe();
	}

	/**
	 * When each message was confirmed, by message id.
	 */
	static final class ConfirmProbe implements HarePublishObserver {

		private final Map<String, Long> confirmed = new ConcurrentHashMap<>();

		@Override
		public void published(HarePublisher publisher, PublishResult result) {
			if (result.isPublished() && result.messageId() != null) {
				this.confirmed.put(result.messageId(), System.nanoTime());
			}
		}

		Long confirmedAt(String messageId) {
			return this.confirmed.get(messageId);
		}

		void clear() {
			this.confirmed.clear();
		}

	}

}
