/**
 * Auto-configuration of Hare's actuator endpoint, health contributor and Micrometer meters.
 */
@NullMarked
package io.hare.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
