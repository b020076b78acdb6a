/**
 * Auto-configuration of Hare's operations page in the browser, served by a Spring MVC
 * application with the actuator when {@code hare.ui.enabled} is set.
 */
@NullMarked
package io.hare.autoconfigure.ui;

import org.jspecify.annotations.NullMarked;
