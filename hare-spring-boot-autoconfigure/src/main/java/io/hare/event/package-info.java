/**
 * Spring application events Hare publishes about its listeners.
 */
@NullMarked
package io.hare.event;

import org.jspecify.annotations.NullMarked;
