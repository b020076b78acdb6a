/**
 * Names and declarations of the exchanges and queues Hare manages.
 */
@NullMarked
package io.hare.topology;

import org.jspecify.annotations.NullMarked;
