package io.hare.sample.streams;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.event.HareListenerScaledEvent;
import io.hare.event.HareStreamHandlerFailedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Logs what the auto-scaler and the stream listeners report through application events.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.streams.enabled", matchIfMissing = true)
public class ScalingAndStreamEventLog {

	private static final Log logger = LogFactory.getLog(ScalingAndStreamEventLog.class);

	private final List<HareListenerScaledEvent> scaled = new CopyOnWriteArrayList<>();

	private final List<HareStreamHandlerFailedEvent> streamFailures = new CopyOnWriteArrayList<>();

	@EventListener
	void onScaled(HareListenerScaledEvent event) {
		this.scaled.add(event);
		logger.info("Listener " + event.getListenerId() + ": " + event.getPreviousConsumers() + " -> "
				+ event.getConsumers() + " consumers" + (event.isAutomatic() ? " at depth " + event.getDepth() : ""));
	}

	@EventListener
	void onStreamFailure(HareStreamHandlerFailedEvent event) {
		this.streamFailures.add(event);
	}

	public List<HareListenerScaledEvent> scaled() {
		return this.scaled;
	}

	public List<HareStreamHandlerFailedEvent> streamFailures() {
		return this.streamFailures;
	}

}
