package io.hare.topology;

/**
 * The names Hare derives from a listener's work queue for its retry and dead-letter queues.
 */
public final class TopologyNames {

	private static final String DELAY_SUFFIX = ".delay";

	private static final String DEAD_SUFFIX = ".dead";

	private TopologyNames() {
	}

	/**
	 * Return the name of the single fixed-delay retry queue of a work queue.
	 * @param queue the work queue
	 * @return {@code <queue>.delay}
	 */
	public static String delayQueue(String queue) {
		return queue + DELAY_SUFFIX;
	}

	/**
	 * Return the name of one level of a cascade of retry queues.
	 * @param queue the work queue
	 * @param level the 1-based level
	 * @return {@code <queue>.delay.<level>}
	 */
	public static String delayQueue(String queue, int level) {
		return queue + DELAY_SUFFIX + "." + level;
	}

	/**
	 * Return the name of the dead-letter queue of a work queue.
	 * @param queue the work queue
	 * @return {@code <queue>.dead}
	 */
	public static String deadQueue(String queue) {
		return queue + DEAD_SUFFIX;
	}

}
