/**
 * The {@code @HareListener} annotation, its resolved specification and the containers that run it.
 */
@NullMarked
package io.hare.listener;

import org.jspecify.annotations.NullMarked;
