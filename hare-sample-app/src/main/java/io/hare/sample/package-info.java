/**
 * A runnable application that shows Hare's features.
 */
@NullMarked
package io.hare.sample;

import org.jspecify.annotations.NullMarked;
