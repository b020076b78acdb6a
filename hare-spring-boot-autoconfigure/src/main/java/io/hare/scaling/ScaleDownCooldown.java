package io.hare.scaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The targets an auto-scaler computed within the scale-down cooldown, so that it lowers the
 * number of consumers only when every read of the last cooldown asked for it. Not thread-safe:
 * the scaler calls it under its own lock.
 */
final class ScaleDownCooldown {

	private final Duration cooldown;

	private final Clock clock;

	private final Deque<Target> recentTargets = new ArrayDeque<>();

	ScaleDownCooldown(Duration cooldown, Clock clock) {
		this.cooldown = cooldown;
		this.clock = clock;
	}

	/**
	 * Remember the target and return the highest one within the cooldown.
	 * @param target the target of the read just made
	 * @return the highest target within the cooldown, this one included
	 */
	int record(int target) {
		Instant now = this.clock.instant();
		this.recentTargets.addLast(new Target(now, target));
		Instant horizon = now.minus(this.cooldown);
		while (this.recentTargets.peekFirst().time().isBefore(horizon)) {
			this.recentTargets.removeFirst();
		}
		return this.recentTargets.stream().mapToInt(Target::consumers).max().orElse(target);
	}

	/**
	 * Forget every target, as when the scaler stops.
	 */
	void clear() {
		this.recentTargets.clear();
	}

	private record Target(Instant time, int consumers) {
	}

}
