package io.hare.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.QueueDepths;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of Hare's listeners: down when a listener's container stopped on its own, such as
 * after a fatal start failure; a listener paused by an operator is not down. The details give
 * each listener's state, consumers and dead-letter depth.
 */
public class HareHealthIndicator extends AbstractHealthIndicator {

	private final HareListenerRegistry registry;

	private final QueueDepths queueDepths;

	public HareHealthIndicator(HareListenerRegistry registry, QueueDepths queueDepths) {
		super("Hare health check failed");
		this.registry = registry;
		this.queueDepths = queueDepths;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean down = false;
		Map<String, Object> listeners = new LinkedHashMap<>();
		for (HareListenerContainer listener : this.registry.getListeners()) {
			// Before the registry starts and after it stops, stopped containers are expected.
			boolean listenerDown = this.registry.isRunning() && !listener.isRunning() && !listener.isPaused()
					&& !listener.isTripped();
			down |= listenerDown;
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", ListenerDescriber.state(listener));
			details.put("consumers", listener.getActualConsumers());
			if (listener.getTopology().hasRetryQueues()) {
				Long deadLetters = this.queueDepths.cached(listener, listener.getTopology().deadQueue());
				details.put("deadLetters", (deadLetters != null) ? deadLetters : "unknown");
			}
			listeners.put(listener.getId(), details);
		}
		builder.status(down ? Status.DOWN : Status.UP);
		builder.withDetail("listeners", listeners);
	}

}
