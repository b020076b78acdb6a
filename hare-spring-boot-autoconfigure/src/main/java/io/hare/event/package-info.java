/**
 * Spring application events for what Hare's connections, listeners and operations do.
 */
@NullMarked
package io.hare.event;

import org.jspecify.annotations.NullMarked;
