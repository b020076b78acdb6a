package io.hare.listener;

import java.util.List;
import java.util.Locale;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.support.postprocessor.DelegatingDecompressingPostProcessor;

/**
 * Prepares a delivered message for its handler: a compressed body ({@code content-encoding}
 * {@code gzip}, {@code deflate} or {@code zip}) is decompressed, then the listener's
 * post-processors run. It works on a copy, so that a retry or dead-letter copy is made of the
 * message exactly as it arrived.
 */
final class DeliveredMessages {

	private static final List<String> COMPRESSIONS = List.of("gzip", "deflate", "zip");

	private final DelegatingDecompressingPostProcessor decompressor = new DelegatingDecompressingPostProcessor();

	private final List<MessagePostProcessor> postProcessors;

	DeliveredMessages(List<MessagePostProcessor> postProcessors) {
		this.postProcessors = List.copyOf(postProcessors);
	}

	/**
	 * Return the message to hand to the handler.
	 * @param message the message as delivered, left unchanged
	 * @return the message itself when there is nothing to do, else a prepared copy
	 * @throws DecompressionException if a compressed body cannot be decompressed
	 */
	Message prepare(Message message) {
		boolean compressed = isCompressed(message);
		if (!compressed && this.postProcessors.isEmpty()) {
			return message;
		}
		Message prepared = MessageBuilder.fromClonedMessage(message).build();
		if (compressed) {
			try {
				prepared = this.decompressor.postProcessMessage(prepared);
			}
			catch (RuntimeException ex) {
				throw new DecompressionException("Cannot decompress a body with content-encoding '"
						+ message.getMessageProperties().getContentEncoding() + "': " + ex.getMessage(), ex);
			}
		}
		for (MessagePostProcessor postProcessor : this.postProcessors) {
			prepared = postProcessor.postProcessMessage(prepared);
		}
		return prepared;
	}

	private static boolean isCompressed(Message message) {
		String encoding = message.getMessageProperties().getContentEncoding();
		if (encoding == null) {
			return false;
		}
		// Spring AMQP writes the compression first, then the charset, after ":" or ", ".
		String first = encoding.split("[:,]", 2)[0].trim().toLowerCase(Locale.ROOT);
		return COMPRESSIONS.contains(first);
	}

	/**
	 * A compressed body that cannot be decompressed: it never will be, so the message is
	 * dead-lettered at once.
	 */
	static final class DecompressionException extends org.springframework.amqp.support.converter.MessageConversionException {

		DecompressionException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
