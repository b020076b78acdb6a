package io.hare.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * An observation handler that records the name of every observation that stopped, to check
 * which ones Hare recorded.
 */
public class ObservedNames implements ObservationHandler<Observation.Context> {

	/**
	 * The names of the stopped observations, in order.
	 */
	public final List<String> names = new CopyOnWriteArrayList<>();

	@Override
	public void onStop(Observation.Context context) {
		this.names.add(context.getName());
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return true;
	}

}
