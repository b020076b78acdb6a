package io.hare.publish;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The observers a publisher tells what becomes of every message, before its caller learns it.
 */
final class PublishObservers {

	private static final Log logger = LogFactory.getLog(PublishObservers.class);

	private final List<HarePublishObserver> observers;

	PublishObservers(List<HarePublishObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	/**
	 * Return a future completed as the given one is, once the observers were told.
	 * @param publisher the publisher
	 * @param result the result of a publish
	 * @return the future for the caller
	 */
	CompletableFuture<PublishResult> observe(HarePublisher publisher, CompletableFuture<PublishResult> result) {
		if (this.observers.isEmpty()) {
			return result;
		}
		// Observers see the outcome before the caller does: a caller that waits on the future
		// finds the metrics already counted.
		CompletableFuture<PublishResult> observed = new CompletableFuture<>();
		result.whenComplete((published, ex) -> {
			notify(publisher, published, ex);
			if (ex != null) {
				observed.completeExceptionally(ex);
			}
			else {
				observed.complete(published);
			}
		});
		return observed;
	}

	private void notify(HarePublisher publisher, @Nullable PublishResult result, @Nullable Throwable ex) {
		for (HarePublishObserver observer : this.observers) {
			try {
				if (result != null) {
					observer.published(publisher, result);
				}
				else if (ex instanceof HarePublishException failure) {
					observer.failed(publisher, failure);
				}
			}
			catch (RuntimeException observerFailure) {
				logger.warn("Hare publish observer " + observer.getClass().getName() + " failed on publisher '"
						+ publisher.getName() + "': " + observerFailure, observerFailure);
			}
		}
	}

}
