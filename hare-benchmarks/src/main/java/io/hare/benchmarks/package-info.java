/**
 * Benchmarks of Hare against plain Spring AMQP and RabbitMQ PerfTest, run from
 * {@link io.hare.benchmarks.HareBenchmarks}.
 */
@NullMarked
package io.hare.benchmarks;

import org.jspecify.annotations.NullMarked;
