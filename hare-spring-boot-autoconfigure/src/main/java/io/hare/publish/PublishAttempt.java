package io.hare.publish;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.dedup.DedupKeyException;
import io.hare.publish.ConfirmChannel.Outcome;
import io.hare.publish.HarePublishException.Reason;
import io.hare.support.ChannelCloses;
import io.hare.support.CredentialMasker;

import org.springframework.amqp.core.Message;

/**
 * One publish in progress: where it goes, what deduplication key it claimed, and how the
 * broker's answer or a failure becomes its result. A claim is released whenever the publish
 * fails, so that a retry can go through.
 */
final class PublishAttempt {

	private static final Log logger = LogFactory.getLog(PublishAttempt.class);

	private final String publisherName;

	private final PublishExchanges exchanges;

	private final Duration confirmTimeout;

	private final @Nullable Deduplication deduplication;

	final String exchange;

	final String routingKey;

	@Nullable String messageId;

	private @Nullable String dedupKey;

	// Where the message went: the destination, or a delay level for a delayed message.
	@Nullable String sentExchange;

	private boolean claimed;

	PublishAttempt(String publisherName, PublishExchanges exchanges, Duration confirmTimeout,
			@Nullable Deduplication deduplication, String exchange, String routingKey) {
		this.publisherName = publisherName;
		this.exchanges = exchanges;
		this.confirmTimeout = confirmTimeout;
		this.deduplication = deduplication;
		this.exchange = exchange;
		this.routingKey = routingKey;
	}

	/**
	 * Claim the message's deduplication key, if the publisher deduplicates.
	 * @return a completed future if the message must not be sent, {@code null} to send it
	 */
	@Nullable CompletableFuture<PublishResult> claim(Object payload, Message message) {
		Deduplication dedup = this.deduplication;
		if (dedup == null) {
			return null;
		}
		try {
			this.dedupKey = dedup.keyStrategy().key(this.exchange, this.routingKey, payload, message);
		}
		catch (DedupKeyException ex) {
			return fail(Reason.DEDUP_KEY_MISSING, ex.getMessage(), ex);
		}
		try {
			if (!dedup.store().claim(this.dedupKey, dedup.ttl())) {
				return CompletableFuture.completedFuture(result(PublishResult.Status.DUPLICATE));
			}
			this.claimed = true;
		}
		catch (RuntimeException ex) {
			String detail = "dedup store " + dedup.store() + " is unavailable: " + ex.getMessage();
			if (!dedup.failOpen()) {
				return fail(Reason.DEDUP_STORE_UNAVAILABLE, detail, ex);
			}
			logger.warn("Hare publisher '" + this.publisherName + "' publishes without deduplication: "
					+ CredentialMasker.mask(detail));
		}
		return null;
	}

	PublishResult result(PublishResult.Status status) {
		return new PublishResult(status, this.messageId, this.exchange, this.routingKey, this.dedupKey);
	}

	void complete(CompletableFuture<PublishResult> result, @Nullable Outcome outcome, @Nullable Throwable ex) {
		HarePublishException failure = failure(outcome, ex);
		if (failure == null) {
			result.complete(result(PublishResult.Status.PUBLISHED));
			return;
		}
		release();
		result.completeExceptionally(failure);
	}

	private @Nullable HarePublishException failure(@Nullable Outcome outcome, @Nullable Throwable ex) {
		if (ex instanceof TimeoutException) {
			return exception(Reason.TIMED_OUT, "the broker did not confirm it within "
					+ this.confirmTimeout.toMillis() + "ms; it may still arrive", ex);
		}
		if (ex != null || outcome == null) {
			return exception(Reason.CONNECTION_FAILED, "waiting for the confirm failed: " + ex, ex);
		}
		return switch (outcome.status()) {
			case CONFIRMED -> null;
			case NACKED -> exception(Reason.NACKED, "the broker refused it (negative acknowledgement)", null);
			case RETURNED -> exception(Reason.UNROUTABLE, "the broker returned it: " + outcome.replyCode() + " "
					+ outcome.replyText() + " (no queue is bound for this routing key)", null);
			case CHANNEL_CLOSED -> closed(outcome);
		};
	}

	private HarePublishException closed(Outcome outcome) {
		String sentExchange = this.sentExchange;
		if (sentExchange != null && outcome.replyCode() == ChannelCloses.NOT_FOUND
				&& outcome.replyText().contains("exchange '" + sentExchange + "'")) {
			this.exchanges.forget(sentExchange);
			return exception(Reason.UNROUTABLE,
					"the exchange '" + sentExchange + "' does not exist: " + outcome.replyText(), null);
		}
		return exception(Reason.CONNECTION_FAILED, "the channel closed before the broker confirmed it ("
				+ CredentialMasker.mask(outcome.replyText()) + "); it may still arrive", null);
	}

	CompletableFuture<PublishResult> fail(Reason reason, String detail, @Nullable Throwable cause) {
		release();
		return CompletableFuture.failedFuture(exception(reason, detail, cause));
	}

	private HarePublishException exception(Reason reason, String detail, @Nullable Throwable cause) {
		return new HarePublishException(reason, this.publisherName, this.exchange, this.routingKey, this.messageId,
				detail, cause);
	}

	private void release() {
		Deduplication dedup = this.deduplication;
		if (!this.claimed || dedup == null) {
			return;
		}
		this.claimed = false;
		try {
			dedup.store().release(this.dedupKey);
		}
		catch (RuntimeException ex) {
			logger.warn("Hare publisher '" + this.publisherName + "' could not release dedup key " + this.dedupKey
					+ " of a failed publish; a retry is a duplicate until it expires: "
					+ CredentialMasker.mask(ex.getMessage()));
		}
	}

}
