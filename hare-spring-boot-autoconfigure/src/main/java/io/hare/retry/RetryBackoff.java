package io.hare.retry;

/**
 * How a listener waits before each retry.
 */
public enum RetryBackoff {

	/**
	 * A fixed delay, or a cascade of delays, each through a delay queue of the listener's own.
	 */
	FIXED,

	/**
	 * A delay that grows with each attempt, computed per message and waited through Hare's
	 * shared delay levels, with no queue per delay.
	 */
	EXPONENTIAL

}
