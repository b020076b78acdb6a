/**
 * Spring application events for what Hare's connections, listeners and operations do, and the
 * components that publish them.
 */
@NullMarked
package io.hare.event;

import org.jspecify.annotations.NullMarked;
