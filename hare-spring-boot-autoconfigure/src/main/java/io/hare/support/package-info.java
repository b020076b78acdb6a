/**
 * Helpers shared by Hare's packages: a confirmed send, credential masking, reading the
 * broker's reason out of a channel close, and the tables and duration checks of the outbox and
 * inbox. Internal to Hare and not for use by applications:
 * these types may change or go in any release.
 */
@NullMarked
package io.hare.support;

import org.jspecify.annotations.NullMarked;
