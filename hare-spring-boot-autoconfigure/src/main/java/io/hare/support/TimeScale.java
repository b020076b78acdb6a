package io.hare.support;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

import org.springframework.util.Assert;

/**
 * A factor every retry delay and delayed delivery is multiplied by, for tests
 * ({@code hare.test.time-scale}); {@link #NONE} in production.
 *
 * @param factor the factor, more than 0 and at most 1
 */
public record TimeScale(double factor) {

	/**
	 * No scaling: delays are as configured.
	 */
	public static final TimeScale NONE = new TimeScale(1.0);

	public TimeScale {
		Assert.isTrue(factor > 0 && factor <= 1, "must be more than 0 and at most 1");
	}

	/**
	 * Whether delays are changed at all.
	 * @return whether the factor is not 1
	 */
	public boolean isScaling() {
		return this.factor != 1.0;
	}

	/**
	 * Return a delay multiplied by the factor, to the nanosecond.
	 * @param delay the delay
	 * @return the scaled delay; the delay itself when not scaling
	 */
	public Duration scale(Duration delay) {
		if (!isScaling() || delay.isZero() || delay.isNegative()) {
			return delay;
		}
		BigDecimal nanos = new BigDecimal(delay.getSeconds()).movePointRight(9)
			.add(BigDecimal.valueOf(delay.getNano()))
			.multiply(BigDecimal.valueOf(this.factor))
			.setScale(0, RoundingMode.HALF_UP);
		BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.ONE.movePointRight(9));
		return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
	}

}
