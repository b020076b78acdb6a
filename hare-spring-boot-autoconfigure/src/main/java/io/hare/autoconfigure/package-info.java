/**
 * Auto-configuration for Hare and the {@code hare.*} properties.
 */
@NullMarked
package io.hare.autoconfigure;

import org.jspecify.annotations.NullMarked;
