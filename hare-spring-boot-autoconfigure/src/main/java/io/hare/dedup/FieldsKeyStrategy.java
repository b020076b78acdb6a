package io.hare.dedup;

import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.util.Assert;

/**
 * Keys a message by its destination and the values of some fields of its JSON body. A field
 * that is missing or {@code null} is an error rather than part of the key: otherwise every
 * message lacking it would be a duplicate of the first.
 */
final class FieldsKeyStrategy implements DedupKeyStrategy {

	private final JsonMapper jsonMapper;

	private final List<String> fields;

	private final List<JsonPointer> pointers;

	FieldsKeyStrategy(JsonMapper jsonMapper, List<String> fields) {
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		Assert.notEmpty(fields, "'fields' must not be empty");
		this.jsonMapper = jsonMapper;
		this.fields = List.copyOf(fields);
		this.pointers = this.fields.stream().map(FieldsKeyStrategy::pointer).toList();
	}

	private static JsonPointer pointer(String field) {
		Assert.hasText(field, "A dedup key field must not be empty");
		if (field.startsWith("/")) {
			return JsonPointer.compile(field);
		}
		StringBuilder pointer = new StringBuilder();
		for (String segment : field.split("\\.", -1)) {
			pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
		}
		return JsonPointer.compile(pointer.toString());
	}

	@Override
	public String key(String exchange, String routingKey, Object payload, Message message) {
		JsonNode body;
		try {
			body = this.jsonMapper.readTree(message.getBody());
		}
		catch (JacksonException ex) {
			throw new DedupKeyException("Dedup keys " + this.fields + " need a JSON body: " + ex.getOriginalMessage(),
					ex);
		}
		KeyHasher hasher = new KeyHasher(exchange, routingKey);
		for (int i = 0; i < this.fields.size(); i++) {
			JsonNode value = (body != null) ? body.at(this.pointers.get(i)) : null;
			if (value == null || value.isMissingNode() || value.isNull()) {
				throw new DedupKeyException("The message has no value for dedup key '" + this.fields.get(i) + "'");
			}
			// The JSON text keeps types apart: 42 and "42" are different keys.
			hasher.add(this.fields.get(i)).add(value.toString());
		}
		return hasher.hash();
	}

	@Override
	public String toString() {
		return "fields " + this.fields;
	}

}
