/**
 * Helpers shared by Hare's packages: a confirmed send, credential masking and reading the
 * broker's reason out of a channel close. Internal to Hare and not for use by applications:
 * these types may change or go in any release.
 */
@NullMarked
package io.hare.support;

import org.jspecify.annotations.NullMarked;
