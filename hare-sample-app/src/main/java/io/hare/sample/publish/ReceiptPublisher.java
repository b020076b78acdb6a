package io.hare.sample.publish;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishResult;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Issues a receipt for each new order and, like an at-least-once upstream would, issues it a
 * second time: the {@code receipts} publisher (see application.yml) deduplicates on
 * {@code orderId}, so the copy is reported {@code DUPLICATE} and never sent.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.traffic.enabled", matchIfMissing = true)
public class ReceiptPublisher {

	private static final Log logger = LogFactory.getLog(ReceiptPublisher.class);

	private final HarePublisher receipts;

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	public ReceiptPublisher(@Qualifier("receipts") HarePublisher receipts) {
		this.receipts = receipts;
	}

	@Scheduled(initialDelayString = "${sample.traffic.interval:2s}", fixedDelayString = "${sample.traffic.interval:2s}")
	void issue() {
		long orderId = this.sequence.incrementAndGet();
		Receipt receipt = new Receipt(orderId, BigDecimal.valueOf(10 * orderId));
		try {
			count(orderId, this.receipts.publish(receipt));
			// The same receipt again, as a retrying upstream would send it.
			this.receipts.publishAsync(receipt).thenAccept((result) -> count(orderId, result));
		}
		catch (HarePublishException ex) {
			logger.warn("Receipt " + orderId + " not published (" + ex.getReason() + "); the next run retries");
			this.sequence.decrementAndGet();
		}
	}

	private void count(long orderId, PublishResult result) {
		if (result.isDuplicate()) {
			this.duplicates.incrementAndGet();
		}
		else {
			this.published.incrementAndGet();
		}
		logger.info("Receipt for order " + orderId + ": " + result.status());
	}

	public long published() {
		return this.published.get();
	}

	public long duplicates() {
		return this.duplicates.get();
	}

}
