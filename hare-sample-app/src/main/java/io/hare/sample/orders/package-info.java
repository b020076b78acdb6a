/**
 * The order service: stores orders in PostgreSQL and publishes their events through Hare's
 * transactional outbox, so that an order and its event never disagree.
 */
@NullMarked
package io.hare.sample.orders;

import org.jspecify.annotations.NullMarked;
