/**
 * RabbitMQ's stream protocol, through its Java client: stream listeners that store their
 * offset on the broker. Used only when {@code com.rabbitmq:stream-client} is on the classpath.
 */
@NullMarked
package io.hare.stream;

import org.jspecify.annotations.NullMarked;
