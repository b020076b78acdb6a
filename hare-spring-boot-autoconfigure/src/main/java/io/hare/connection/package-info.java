/**
 * Connections Hare publishes and consumes on, with their admins and templates, whether each is
 * open, and the connection factory decoration its listener containers consume through.
 */
@NullMarked
package io.hare.connection;

import org.jspecify.annotations.NullMarked;
