/**
 * Delayed delivery in the sample: reminders published to arrive later, and shipments retried
 * with exponential backoff.
 */
@NullMarked
package io.hare.sample.delay;

import org.jspecify.annotations.NullMarked;
