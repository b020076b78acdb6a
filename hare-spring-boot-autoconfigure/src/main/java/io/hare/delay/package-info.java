/**
 * Delayed delivery without broker plugins: binary delay levels made of standard exchanges,
 * queues, message TTLs and dead-lettering, and the forwarder that hands delayed messages to
 * their exchange.
 */
@NullMarked
package io.hare.delay;

import org.jspecify.annotations.NullMarked;
