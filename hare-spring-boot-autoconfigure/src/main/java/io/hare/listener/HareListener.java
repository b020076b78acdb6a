package io.hare.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.hare.retry.RetryBackoff;
import io.hare.topology.QueueType;

/**
 * Marks a bean method as the handler of a queue: Hare declares the exchange, the queue, its
 * retry queues and its dead-letter queue, runs the method in a listener container, acks the
 * message when the method returns, and retries it through delay queues when it throws, until
 * the retry limit sends it to the dead-letter queue with the reason in its headers.
 * <p>
 * The method takes the payload, decoded by its declared type (JSON into records, POJOs,
 * {@code Map} or {@code JsonNode}; {@code String} and {@code byte[]} as they are), and
 * optionally Spring AMQP's {@code Message} or {@code MessageProperties}, and
 * {@code @Header} parameters. It must return {@code void}. A method whose one parameter is a
 * {@code List} of payloads (or of {@code Message}s) takes batches: returning acks them all, and a
 * {@link HareBatchException} names the elements that failed.
 * <p>
 * String attributes may use {@code ${...}} placeholders. Every attribute has a property under
 * {@code hare.listeners.<id>.*} (for example {@code retryLimit} is {@code retry.limit} and
 * {@code queueType} is {@code queue.type}; the properties reference lists them all), which
 * wins over the annotation; defaults for every listener are under {@code hare.defaults.*}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HareListener {

	/**
	 * The id of the listener, which keys its properties. Defaults to the queue name.
	 * @return the id
	 */
	String id() default "";

	/**
	 * The queue to consume; required here or in {@code hare.listeners.<id>.queue.name}.
	 * @return the queue name
	 */
	String queue();

	/**
	 * The exchange to bind the queue to; none consumes the queue alone.
	 * @return the exchange name
	 */
	String exchange() default "";

	/**
	 * The exchange type ({@code direct}, {@code topic}, {@code fanout}, {@code headers});
	 * defaults to {@code hare.defaults.exchange-type}, itself {@code direct}.
	 * @return the exchange type
	 */
	String exchangeType() default "";

	/**
	 * The routing keys to bind the queue with; defaults to the queue name.
	 * @return the routing keys
	 */
	String[] routingKey() default {};

	/**
	 * The queue type, at most one; defaults to {@code hare.defaults.queue.type}, itself
	 * {@link QueueType#CLASSIC}.
	 * @return the queue type
	 */
	QueueType[] queueType() default {};

	/**
	 * The arguments of the binding to a {@code headers} exchange, each {@code name=value}: the
	 * header values to match and optionally {@code x-match=all} (the default) or {@code any}.
	 * @return the binding arguments
	 */
	String[] bindingArguments() default {};

	/**
	 * The number of unacknowledged messages each consumer may hold; -1 for the default.
	 * @return the prefetch count
	 */
	int prefetch() default -1;

	/**
	 * The number of concurrent consumers; -1 for the default, 1.
	 * @return the concurrency
	 */
	int concurrency() default -1;

	/**
	 * The number of retries after the first attempt before a message is dead-lettered; -1 for
	 * the default, 15.
	 * @return the retry limit
	 */
	int retryLimit() default -1;

	/**
	 * The fixed delay before each retry, such as {@code 10s}; defaults to 10 seconds.
	 * @return the delay
	 */
	String delay() default "";

	/**
	 * A cascade of delays: retry {@code i} waits {@code delays[min(i, n - 1)]}. Set it or
	 * {@link #delay()}, not both.
	 * @return the delays
	 */
	String[] delays() default {};

	/**
	 * Exceptions that send a message to the dead-letter queue at once.
	 * @return the non-retryable exception types
	 */
	Class<? extends Throwable>[] nonRetryable() default {};

	/**
	 * The only exceptions that are retried, anywhere in the cause chain; the alternative to
	 * {@link #nonRetryable()}.
	 * @return the retryable exception types
	 */
	Class<? extends Throwable>[] retryable() default {};

	/**
	 * The number of times to call the method again at once, in place, before a failed message
	 * takes the delayed path; -1 for the default, 0.
	 * @return the number of immediate retries
	 */
	int immediateRetries() default -1;

	/**
	 * How long to wait before each immediate retry, such as {@code 100ms}; none by default.
	 * @return the delay
	 */
	String immediateRetryDelay() default "";

	/**
	 * Whether every application instance gets every message (cache invalidation, configuration
	 * push): each declares a queue of its own, named after {@link #queue()}, exclusive and
	 * deleted with its connection, bound to {@link #exchange()}, with no retry or dead-letter
	 * queue; a failed message is logged and dropped.
	 * @return whether the listener is a broadcast listener
	 */
	boolean broadcast() default false;

	/**
	 * The names of {@code MessagePostProcessor} beans a delivered message goes through, in
	 * order, before the method.
	 * @return the post-processor bean names
	 */
	String[] postProcessors() default {};

	/**
	 * The most messages in one batch, for a batch listener (a method whose one parameter is a
	 * {@code List}); -1 for the default, 100.
	 * @return the batch size
	 */
	int batchSize() default -1;

	/**
	 * How long a batch listener waits for more messages before it takes a smaller batch, such
	 * as {@code 500ms}; defaults to 1 second.
	 * @return the receive timeout
	 */
	String batchReceiveTimeout() default "";

	/**
	 * The most handled messages acknowledged together, at most the prefetch; 1 acks each
	 * message on its own; -1 for the default, 50 or half the prefetch if that is less.
	 * @return the acknowledgement batch size
	 */
	int ackBatchSize() default -1;

	/**
	 * The longest a handled message waits for its acknowledgement when fewer than
	 * {@link #ackBatchSize()} messages follow it, such as {@code 50ms}; defaults to 100 ms.
	 * @return the acknowledgement batch timeout
	 */
	String ackBatchTimeout() default "";


	/**
	 * Whether the listener is an idempotent consumer: the handler runs in a database transaction
	 * that also records the message's id in the inbox table ({@code hare.inbox.*}), and a
	 * message whose id is there already, such as one redelivered after its ack was lost, is
	 * acked without calling the handler. Needs {@code hare.inbox.enabled} and a
	 * {@code DataSource}; not for streams.
	 * @return whether the listener is idempotent
	 */
	boolean idempotent() default false;

	/**
	 * The {@code x-message-ttl} of the queue, such as {@code 1h}; none by default, so nothing
	 * expires unless asked.
	 * @return the message time-to-live
	 */
	String messageTtl() default "";

	/**
	 * The name of the connection ({@code hare.connections.<name>}) to consume on; defaults to
	 * Spring Boot's connection factory.
	 * @return the connection name
	 */
	String connection() default "";

	/**
	 * Where a stream listener ({@code queueType = STREAM}) starts reading: {@code next}
	 * (the default: only new messages), {@code first}, {@code last} (the newest chunk), an
	 * offset such as {@code 42}, an ISO-8601 timestamp such as {@code 2024-05-01T08:00:00Z},
	 * or a duration meaning "that long ago" such as {@code PT1H} or {@code 1h}.
	 * @return the stream offset
	 */
	String streamOffset() default "";

	/**
	 * The number of concurrent consumers; an alias of {@link #concurrency()}, which may be
	 * set as well only to the same value. -1 for the default, 1.
	 * @return the number of consumers
	 */
	int consumers() default -1;

	/**
	 * Whether to declare the queue with {@code x-single-active-consumer}, so that among all
	 * consumers of all instances only one gets messages and another takes over when it goes.
	 * @return whether the queue has a single active consumer
	 */
	boolean singleActiveConsumer() default false;

	/**
	 * How to wait before each retry, at most one: {@link RetryBackoff#FIXED} waits
	 * {@link #delay()} or {@link #delays()}; {@link RetryBackoff#EXPONENTIAL} waits a delay
	 * that grows with each attempt, computed per message, through Hare's delay levels with
	 * 1-second resolution. Defaults to {@code FIXED}.
	 * @return the backoff
	 */
	RetryBackoff[] backoff() default {};

	/**
	 * The exponential backoff's delay after the first failed attempt, such as {@code 1s};
	 * defaults to 1 second.
	 * @return the initial delay
	 */
	String backoffInitial() default "";

	/**
	 * The factor, at least 1, each further failed attempt multiplies the exponential backoff's
	 * delay by, such as {@code 2}; defaults to 2.
	 * @return the multiplier
	 */
	String backoffMultiplier() default "";

	/**
	 * The longest delay of the exponential backoff, such as {@code 10m}; defaults to 1 hour.
	 * @return the maximum delay
	 */
	String backoffMax() default "";

	/**
	 * How far, as a fraction from 0 to 1, the exponential backoff's delay randomly moves either
	 * way, such as {@code 0.1}; defaults to 0, no jitter.
	 * @return the jitter
	 */
	String backoffJitter() default "";

}
