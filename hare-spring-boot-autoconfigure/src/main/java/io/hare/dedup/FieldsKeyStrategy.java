package io.hare.dedup;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.io.JsonStringEncoder;
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
		Scan scan = new Scan(this.pointers.size());
		try (JsonParser parser = this.jsonMapper.createParser(message.getBody())) {
			JsonToken root = parser.nextToken();
			if (root == JsonToken.START_OBJECT || root == JsonToken.START_ARRAY) {
				List<Target> targets = new ArrayList<>(this.pointers.size());
				for (int i = 0; i < this.pointers.size(); i++) {
					targets.add(new Target(i, this.pointers.get(i)));
				}
				scan.container(parser, root, targets);
			}
		}
		catch (JacksonException ex) {
			throw new DedupKeyException("Dedup keys " + this.fields + " need a JSON body: " + ex.getOriginalMessage(),
					ex);
		}
		KeyHasher hasher = new KeyHasher(exchange, routingKey);
		for (int i = 0; i < this.fields.size(); i++) {
			String value = scan.values[i];
			if (value == null) {
				throw new DedupKeyException("The message has no value for dedup key '" + this.fields.get(i) + "'");
			}
			hasher.add(this.fields.get(i)).add(value);
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
	 * Walks the body with a streaming parser, reading only the values of the key fields and
	 * skipping everything else, and stops once every field is found: the body is usually
	 * kilobytes and the keys a few bytes near its start. A value is kept as its JSON text, which
	 * keeps types apart: 42 and "42" are different keys.
	 */
	private static final class Scan {

		private final @Nullable String[] values;

		private final boolean[] found;

		private int missing;

		Scan(int fields) {
			this.values = new String[fields];
			this.found = new boolean[fields];
			this.missing = fields;
		}

		/**
		 * Scan the container that starts at the current token.
		 * @return whether every field is found
		 */
		boolean container(JsonParser parser, JsonToken start, List<Target> targets) {
			int element = 0;
			JsonToken token;
			while ((token = parser.nextToken()) != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
				List<Target> below = new ArrayList<>(targets.size());
				if (start == JsonToken.START_OBJECT) {
					String name = parser.currentName();
					token = parser.nextToken();
					for (Target target : targets) {
						descend(target, target.pointer().matchProperty(name), below);
					}
				}
				else {
					int index = element++;
					for (Target target : targets) {
						descend(target, target.pointer().matchElement(index), below);
					}
				}
				if (value(parser, token, below)) {
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

		private boolean value(JsonParser parser, JsonToken token, List<Target> targets) {
			if (targets.isEmpty()) {
				parser.skipChildren();
				return false;
			}
			boolean keyHere = endsHere(targets);
			if (token.isScalarValue()) {
				if (keyHere) {
					String text = scalarText(parser, token);
					for (Target target : targets) {
						if (target.pointer().matches()) {
							found(target.index(), text);
						}
					}
				}
				return this.missing == 0;
			}
			if (keyHere) {
				// A key is this container itself: read it whole, and find keys below it in the tree.
				JsonNode node = parser.readValueAsTree();
				for (Target target : targets) {
					JsonNode value = node.at(target.pointer());
					found(target.index(), (value.isMissingNode() || value.isNull()) ? null : value.toString());
				}
				return this.missing == 0;
			}
			return container(parser, token, targets);
		}

		private static boolean endsHere(List<Target> targets) {
			for (Target target : targets) {
				if (target.pointer().matches()) {
					return true;
				}
			}
			return false;
		}

		private void found(int index, @Nullable String text) {
			if (!this.found[index]) {
				// A repeated property does not count twice.
				this.found[index] = true;
				this.missing--;
			}
			this.values[index] = text;
		}

		/**
		 * Return the JSON text of a scalar value as its tree node would write it, without
		 * building the node for the common types: {@code null} for JSON null.
		 */
		private static @Nullable String scalarText(JsonParser parser, JsonToken token) {
			return switch (token) {
				case VALUE_STRING -> quoted(parser.getString());
				case VALUE_NUMBER_INT -> parser.getNumberValue().toString();
				case VALUE_TRUE -> "true";
				case VALUE_FALSE -> "false";
				case VALUE_NULL -> null;
				// A float's text depends on the mapper's settings, which the tree applies.
				default -> parser.<JsonNode>readValueAsTree().toString();
			};
		}

		private static String quoted(String text) {
			return '"' + String.valueOf(JsonStringEncoder.getInstance().quoteAsCharArray(text)) + '"';
		}

	}

	@Override
	public String toString() {
		return "fields " + this.fields;
	}

}
