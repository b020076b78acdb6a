/**
 * Retry through delay queues and dead-lettering with the failure reason in headers.
 */
@NullMarked
package io.hare.retry;

import org.jspecify.annotations.NullMarked;
