package io.hare.listener;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.event.HareCircuitBreakerEvent;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;

/**
 * A listener's kill switch: resilience4j's circuit breaker counts its messages' outcomes; when
 * it opens, the listener stops consuming (messages stay in the queue, none is dead-lettered for
 * it), after a wait it consumes a few on trial, then closes again or re-opens.
 */
final class ListenerCircuitBreaker {

	private static final Log logger = LogFactory.getLog(ListenerCircuitBreaker.class);

	private final String listenerId;

	private final CircuitBreaker breaker;

	private final TaskExecutor executor;

	private final ApplicationEventPublisher events;

	private volatile @Nullable HareListenerContainer listener;

	ListenerCircuitBreaker(String listenerId, CircuitBreakerSettings settings, TaskExecutor executor,
			ApplicationEventPublisher events) {
		this.listenerId = listenerId;
		this.executor = executor;
		this.events = events;
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(settings.failureRateThreshold())
			.slidingWindowSize(settings.slidingWindowSize())
			.minimumNumberOfCalls(settings.minimumNumberOfCalls())
			.waitDurationInOpenState(settings.waitInOpenState())
			.permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.build();
		this.breaker = CircuitBreaker.of("hare-" + listenerId, config);
		this.breaker.getEventPublisher().onStateTransition((event) -> transition(event.getStateTransition()));
	}

	void attach(HareListenerContainer listener) {
		this.listener = listener;
	}

	boolean tryAcquirePermission() {
		return this.breaker.tryAcquirePermission();
	}

	void succeeded(Duration duration) {
		this.breaker.onSuccess(duration.toNanos(), TimeUnit.NANOSECONDS);
	}

	void failed(Duration duration, Throwable failure) {
		this.breaker.onError(duration.toNanos(), TimeUnit.NANOSECONDS, failure);
	}

	/**
	 * A message whose outcome says nothing of the handler's health (it could not be decoded,
	 * or its failure is not retryable): it takes back its permission uncounted.
	 */
	void ignored() {
		this.breaker.releasePermission();
	}

	String state() {
		return this.breaker.getState().name().toLowerCase(Locale.ROOT);
	}

	void reset() {
		this.breaker.reset();
	}

	private void transition(CircuitBreaker.StateTransition transition) {
		String from = transition.getFromState().name().toLowerCase(Locale.ROOT);
		String to = transition.getToState().name().toLowerCase(Locale.ROOT);
		HareListenerContainer listener = this.listener;
		boolean open = transition.getToState() == CircuitBreaker.State.OPEN
				|| transition.getToState() == CircuitBreaker.State.FORCED_OPEN;
		if (open) {
			logger.warn("Hare listener '" + this.listenerId + "' stops consuming: its circuit breaker opened ("
					+ this.breaker.getMetrics().getFailureRate() + "% of recent messages failed)");
		}
		else if (transition.getToState() == CircuitBreaker.State.CLOSED) {
			logger.info("Hare listener '" + this.listenerId + "' consumes again: its circuit breaker closed");
		}
		if (listener != null) {
			// Not on the consumer's own thread: stopping a container waits for its consumers.
			this.executor.execute(open ? listener::trip : listener::untrip);
		}
		this.events.publishEvent(new HareCircuitBreakerEvent(this, this.listenerId, from, to));
	}

}
