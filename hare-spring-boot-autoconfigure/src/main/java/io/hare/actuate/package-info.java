/**
 * Operating Hare: the {@code hare} actuator endpoint, its health contributor, its Micrometer
 * meters, the publishers of its application events, and the operations they rest on.
 */
@NullMarked
package io.hare.actuate;

import org.jspecify.annotations.NullMarked;
