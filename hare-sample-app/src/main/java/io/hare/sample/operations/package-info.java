/**
 * Operating the sample: Hare's application events in the log; the endpoint, health and
 * metrics come from configuration alone.
 */
@NullMarked
package io.hare.sample.operations;

import org.jspecify.annotations.NullMarked;
