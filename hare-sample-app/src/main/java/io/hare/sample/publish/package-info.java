/**
 * The sample's deduplicating publisher: receipts sent twice, delivered once.
 */
@NullMarked
package io.hare.sample.publish;

import org.jspecify.annotations.NullMarked;
