package io.hare.dedup;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.util.Assert;

/**
 * Keys a message by its destination and the values of some fields of its JSON body. A field
 * that is missing or {@code null} is an error rather than part of the key: otherwise every
 * message lacking it would be a duplicate of the first. Only the body up to the last key field
 * is read, so a body whose rest is not valid JSON is not refused here.
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
		JsonNode[] values = new JsonNode[this.pointers.size()];
		try (JsonParser parser = this.jsonMapper.createParser(message.getBody())) {
			JsonToken root = parser.nextToken();
			if (root == JsonToken.START_OBJECT || root == JsonToken.START_ARRAY) {
				List<Target> targets = new ArrayList<>(values.length);
				for (int i = 0; i < values.length; i++) {
					targets.add(new Target(i, this.pointers.get(i)));
				}
				new Scan(parser, values).container(root, targets);
			}
		}
		catch (JacksonException ex) {
			throw new DedupKeyException("Dedup keys " + this.fields + " need a JSON body: " + ex.getOriginalMessage(),
					ex);
		}
		KeyHasher hasher = new KeyHasher(exchange, routingKey);
		for (int i = 0; i < values.length; i++) {
			JsonNode value = values[i];
			if (value == null || value.isMissingNode() || value.isNull()) {
				throw new DedupKeyException("The message has no value for dedup key '" + this.fields.get(i) + "'");
			}
			// The JSON text keeps types apart: 42 and "42" are different keys.
			hasher.add(this.fields.get(i)).add(value.toString());
		}
		return hasher.hash();
	}

	/**
	 * A key field still to find: its position and the rest of its pointer below the current
	 * container.
	 */
	private record Target(int index, JsonPointer pointer) {

	}

	/**
	 * Walks the body with a streaming parser, reading into a tree only the values of the key
	 * fields and skipping everything else, and stops once every field is found: the body is
	 * usually kilobytes and the keys a few bytes near its start.
	 */
	private static final class Scan {

		private final JsonParser parser;

		private final JsonNode[] values;

		private int missing;

		Scan(JsonParser parser, JsonNode[] values) {
			this.parser = parser;
			this.values = values;
			this.missing = values.length;
		}

		/**
		 * Scan the container that starts at the current token.
		 * @return whether every field is found
		 */
		boolean container(JsonToken start, List<Target> targets) {
			int element = 0;
			JsonToken token;
			while ((token = this.parser.nextToken()) != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
				List<Target> below = new ArrayList<>(targets.size());
				if (start == JsonToken.START_OBJECT) {
					String name = this.parser.currentName();
					token = this.parser.nextToken();
					targets.forEach((target) -> descend(target, target.pointer().matchProperty(name), below));
				}
				else {
					int index = element++;
					targets.forEach((target) -> descend(target, target.pointer().matchElement(index), below));
				}
				if (value(token, below)) {
					return true;
				}
			}
			return false;
		}

		private static void descend(Target target, @Nullable JsonPointer tail, List<Target> below) {
			if (tail != null) {
				below.add(new Target(target.index(), tail));
			}
		}

		private boolean value(JsonToken token, List<Target> targets) {
			if (targets.isEmpty()) {
				this.parser.skipChildren();
				return false;
			}
			if (targets.stream().anyMatch((target) -> target.pointer().matches())) {
				// A key is this value itself: read it whole, and find keys below it in the tree.
				JsonNode node = this.parser.readValueAsTree();
				for (Target target : targets) {
					if (this.values[target.index()] == null) {
						// A repeated property does not count twice.
						this.missing--;
					}
					this.values[target.index()] = node.at(target.pointer());
				}
				return this.missing == 0;
			}
			if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
				return container(token, targets);
			}
			return false;
		}

	}

	@Override
	public String toString() {
		return "fields " + this.fields;
	}

}
