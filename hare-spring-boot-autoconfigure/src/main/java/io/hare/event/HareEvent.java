package io.hare.event;

import org.springframework.context.ApplicationEvent;

/**
 * Base class of every application event Hare publishes; listen to it to receive them all.
 */
public abstract class HareEvent extends ApplicationEvent {

	protected HareEvent(Object source) {
		super(source);
	}

}
