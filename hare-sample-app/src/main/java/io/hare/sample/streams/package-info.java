/**
 * Streams, listeners added at run time, the auto-scaler and a single active consumer.
 */
@NullMarked
package io.hare.sample.streams;

import org.jspecify.annotations.NullMarked;
