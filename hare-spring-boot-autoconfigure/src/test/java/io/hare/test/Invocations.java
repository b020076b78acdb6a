package io.hare.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * What a test handler was called with, and when.
 */
public class Invocations {

	private final List<Object> payloads = new CopyOnWriteArrayList<>();

	private final List<Instant> times = new CopyOnWriteArrayList<>();

	public void record(Object payload) {
		this.times.add(Instant.now());
		this.payloads.add(payload);
	}

	public List<Object> payloads() {
		return this.payloads;
	}

	public int count() {
		return this.payloads.size();
	}

	/**
	 * Return the time between each call and the next.
	 * @return the gaps
	 */
	public List<Duration> gaps() {
		return IntStream.range(1, this.times.size())
			.mapToObj((i) -> Duration.between(this.times.get(i - 1), this.times.get(i)))
			.toList();
	}

}
