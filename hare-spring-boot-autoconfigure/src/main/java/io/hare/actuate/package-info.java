/**
 * Hare's actuator adapters: the {@code hare} endpoint, its health contributor and its
 * Micrometer meters, each built on {@code io.hare.operations}.
 */
@NullMarked
package io.hare.actuate;

import org.jspecify.annotations.NullMarked;
