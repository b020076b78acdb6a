/**
 * What an operator or the application can do with and learn about running listeners and
 * publishers: pause, resume and scale a listener, peek at, redrive and purge its dead letters,
 * read its queue depths, and count what became of consumed and published messages. Nothing here
 * needs the actuator or Micrometer; {@code io.hare.actuate} adapts it to both.
 */
@NullMarked
package io.hare.operations;

import org.jspecify.annotations.NullMarked;
