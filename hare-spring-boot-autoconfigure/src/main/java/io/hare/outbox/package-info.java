/**
 * The transactional outbox: messages published inside a database transaction are written to a
 * table in that transaction and sent by a relay once it committed, never if it rolled back.
 */
@NullMarked
package io.hare.outbox;

import org.jspecify.annotations.NullMarked;
