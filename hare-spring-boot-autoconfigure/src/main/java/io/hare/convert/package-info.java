/**
 * Payload encoding and decoding: JSON through Jackson, {@code String} and {@code byte[]} as they are.
 */
@NullMarked
package io.hare.convert;

import org.jspecify.annotations.NullMarked;
