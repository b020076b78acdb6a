/**
 * The idempotent inbox: an idempotent listener's handler runs in a database transaction that
 * records the message's id, so that a redelivered message takes effect once.
 */
@NullMarked
package io.hare.inbox;

import org.jspecify.annotations.NullMarked;
