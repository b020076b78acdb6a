/**
 * The queue-depth auto-scaler that sets how many consumers a listener runs.
 */
@NullMarked
package io.hare.scaling;

import org.jspecify.annotations.NullMarked;
