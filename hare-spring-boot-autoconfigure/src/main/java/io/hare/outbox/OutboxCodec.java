package io.hare.outbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.ContentHeaderPropertyWriter;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Stores message properties as the AMQP content header the broker would receive, so that every
 * property and header, with its type, comes back exactly as it was published.
 */
final class OutboxCodec {

	private static final MessagePropertiesConverter CONVERTER = new DefaultMessagePropertiesConverter();

	private static final String CHARSET = StandardCharsets.UTF_8.name();

	private OutboxCodec() {
	}

	static byte[] encode(MessageProperties properties) {
		AMQP.BasicProperties basic = CONVERTER.fromMessageProperties(properties, CHARSET);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			// The header frame's weight and body size, which the reading constructor expects.
			out.writeShort(0);
			out.writeLong(0);
			basic.writePropertiesTo(new ContentHeaderPropertyWriter(out));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static MessageProperties decode(byte[] encoded) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
			AMQP.BasicProperties basic = new AMQP.BasicProperties(in);
			MessageProperties properties = CONVERTER.toMessageProperties(basic, null, CHARSET);
			// Read back as if received: make them the properties to publish with again.
			properties.setDeliveryMode(properties.getReceivedDeliveryMode());
			return properties;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the stored properties of an outbox message", ex);
		}
	}

}
