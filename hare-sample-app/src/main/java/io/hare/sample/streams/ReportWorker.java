package io.hare.sample.streams;

import java.util.concurrent.atomic.AtomicLong;

import io.hare.listener.HareListener;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Renders reports, which arrive in bursts; {@code hare.listeners.reports.auto-scaling} in
 * {@code application.yml} adds consumers while a burst waits and removes them after.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.streams.enabled", matchIfMissing = true)
public class ReportWorker {

	private final AtomicLong rendered = new AtomicLong();

	@HareListener(id = "reports", queue = "${sample.prefix:sample}.reports", prefetch = 5)
	void render(ReportRequest request) throws InterruptedException {
		// Stands in for the real work of rendering a report.
		Thread.sleep(request.pages());
		this.rendered.incrementAndGet();
	}

	public long rendered() {
		return this.rendered.get();
	}

	/**
	 * A report to render.
	 *
	 * @param reportId the report
	 * @param pages how many pages, a millisecond of work each
	 */
	public record ReportRequest(long reportId, int pages) {
	}

}
