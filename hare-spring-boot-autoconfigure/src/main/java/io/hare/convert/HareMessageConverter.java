package io.hare.convert;

import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.util.Assert;

/**
 * Encodes and decodes payloads by type: {@code byte[]} and {@code String} as they are,
 * anything else as JSON through Jackson. Decoding reads the type the handler method declares,
 * never a type named in the message, so a message cannot choose what class is instantiated.
 */
public class HareMessageConverter implements MessageConverter {

	private final JsonMapper jsonMapper;

	public HareMessageConverter(JsonMapper jsonMapper) {
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		this.jsonMapper = jsonMapper;
	}

	@Override
	public Message toMessage(Object object, MessageProperties properties) {
		byte[] body;
		if (object instanceof byte[] bytes) {
			body = bytes;
			defaultContentType(properties, MessageProperties.CONTENT_TYPE_BYTES);
		}
		else if (object instanceof String text) {
			body = text.getBytes(StandardCharsets.UTF_8);
			defaultContentType(properties, MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
			properties.setContentEncoding(StandardCharsets.UTF_8.name());
		}
		else {
			try {
				body = this.jsonMapper.writeValueAsBytes(object);
			}
			catch (JacksonException ex) {
				throw new MessageConversionException("Could not encode " + object.getClass().getName()
						+ " as JSON: " + ex.getOriginalMessage(), ex);
			}
			properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
			properties.setContentEncoding(StandardCharsets.UTF_8.name());
		}
		properties.setContentLength(body.length);
		return new Message(body, properties);
	}

	@Override
	public Object fromMessage(Message message) {
		MessageProperties properties = message.getMessageProperties();
		Type target = properties.getInferredArgumentType();
		if (target == null || target == byte[].class) {
			return message.getBody();
		}
		Charset charset = charset(properties);
		if (target == String.class) {
			return new String(message.getBody(), charset);
		}
		return fromJson(message, target, charset);
	}

	private Object fromJson(Message message, Type target, Charset charset) {
		String contentType = message.getMessageProperties().getContentType();
		// A message without a content type is taken for JSON: many producers leave it out, and
		// Spring AMQP reports a missing one as application/octet-stream.
		if (contentType != null && !contentType.isEmpty() && !contentType.toLowerCase().contains("json")
				&& !MessageProperties.DEFAULT_CONTENT_TYPE.equals(contentType)) {
			throw new MessageConversionException(
					"Cannot decode content type '" + contentType + "' into " + target.getTypeName() + ": not JSON");
		}
		JavaType javaType = this.jsonMapper.getTypeFactory().constructType(target);
		try {
			Object value = (charset == StandardCharsets.UTF_8)
					? this.jsonMapper.readValue(message.getBody(), javaType)
					: this.jsonMapper.readValue(new String(message.getBody(), charset), javaType);
			if (value == null) {
				throw new MessageConversionException("Cannot decode JSON null into " + target.getTypeName());
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new MessageConversionException(
					"Cannot decode JSON into " + target.getTypeName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Spring AMQP carries the charset in {@code content_encoding}; anything else there, such as
	 * {@code gzip}, is an encoding this converter cannot undo.
	 */
	private static Charset charset(MessageProperties properties) {
		String encoding = properties.getContentEncoding();
		if (encoding == null || encoding.isEmpty()) {
			return StandardCharsets.UTF_8;
		}
		try {
			return Charset.forName(encoding);
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			throw new MessageConversionException("Cannot decode content encoding '" + encoding + "'", ex);
		}
	}

	private static void defaultContentType(MessageProperties properties, String contentType) {
		String current = properties.getContentType();
		if (current == null || current.isEmpty()
				|| MessageProperties.DEFAULT_CONTENT_TYPE.equals(current)) {
			properties.setContentType(contentType);
		}
	}

	/**
	 * Return the mapper this converter encodes and decodes JSON with.
	 * @return the JSON mapper
	 */
	public JsonMapper getJsonMapper() {
		return this.jsonMapper;
	}

}
