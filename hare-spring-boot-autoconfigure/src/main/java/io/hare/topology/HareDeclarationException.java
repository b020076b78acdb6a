package io.hare.topology;

import org.springframework.amqp.AmqpException;

/**
 * Thrown when the broker refuses to declare part of a listener's topology, typically because a
 * queue already exists with other arguments.
 */
public class HareDeclarationException extends AmqpException {

	public HareDeclarationException(String message, Throwable cause) {
		super(message, cause);
	}

}
