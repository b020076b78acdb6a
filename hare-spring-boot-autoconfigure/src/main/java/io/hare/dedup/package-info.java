/**
 * Deduplication of published messages: keys, the store SPI, and its in-memory and Redis stores.
 */
@NullMarked
package io.hare.dedup;

import org.jspecify.annotations.NullMarked;
