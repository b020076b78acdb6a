/**
 * Publishing with confirms: publishers, their builder and registry, results and failures.
 */
@NullMarked
package io.hare.publish;

import org.jspecify.annotations.NullMarked;
