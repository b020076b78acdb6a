package io.hare.sample.operations;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.event.HareConnectionLostEvent;
import io.hare.event.HareMessageDeadLetteredEvent;
import io.hare.event.HareMessageRetriedEvent;
import io.hare.event.HareOperationEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Shows how an application reacts to Hare's events: here it logs them; a real one might page
 * someone when a payment is dead-lettered.
 */
@Component
public class HareEventLog {

	private static final Log logger = LogFactory.getLog(HareEventLog.class);

	@EventListener
	void onRetried(HareMessageRetriedEvent event) {
		logger.info("Listener '" + event.getListenerId() + "' retries a message in " + event.getDelay()
				+ " after attempt " + event.getAttempt() + " failed: " + event.getFailure().getMessage());
	}

	@EventListener
	void onDeadLettered(HareMessageDeadLetteredEvent event) {
		logger.warn("Listener '" + event.getListenerId() + "' dead-lettered a message to '"
				+ event.getDeadLetterQueue() + "': " + event.getFailure().getMessage());
	}

	@EventListener
	void onConnectionLost(HareConnectionLostEvent event) {
		logger.warn("Hare connection '" + event.getConnectionName() + "' lost: " + event.getReason());
	}

	@EventListener
	void onOperation(HareOperationEvent event) {
		logger.info("Operator action on listener '" + event.getListenerId() + "': " + event);
	}

}
