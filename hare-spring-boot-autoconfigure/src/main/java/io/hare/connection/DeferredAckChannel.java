package io.hare.connection;

import java.util.concurrent.CompletionStage;

/**
 * A consumer channel of Hare's listener containers that can hold back the ack of a delivery
 * until something else is done, such as the broker's confirm of the delivery's retry copy,
 * while the consumer goes on with the next delivery.
 * <p>
 * Public only for Hare's listeners; not for use by applications.
 */
public interface DeferredAckChannel {

	/**
	 * Hold back the ack of a delivery until {@code done} completes: normally, the ack goes
	 * out with the next batch; exceptionally, the delivery is requeued on its own. Call it
	 * before the container acks the delivery.
	 * @param deliveryTag the delivery's tag on this channel
	 * @param done completes when the delivery may be acked
	 */
	void ackWhenDone(long deliveryTag, CompletionStage<?> done);

}
