/**
 * Connections Hare publishes and consumes on, with their admins and templates.
 */
@NullMarked
package io.hare.connection;

import org.jspecify.annotations.NullMarked;
