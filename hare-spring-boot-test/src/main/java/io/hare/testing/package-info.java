/**
 * Test support for applications built on Hare: {@link io.hare.testing.HareTestHarness}, which
 * awaits what became of a message, and the clean-up of what Hare declared when a test's
 * application context closes. Added with test scope.
 */
@NullMarked
package io.hare.testing;

import org.jspecify.annotations.NullMarked;
