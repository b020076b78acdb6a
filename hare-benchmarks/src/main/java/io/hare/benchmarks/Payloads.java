package io.hare.benchmarks;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the JSON bodies of {@link Order orders} of one size.
 */
final class Payloads {

	private static final JsonMapper MAPPER = new JsonMapper();

	private final int size;

	/**
	 * Create a maker of bodies of the given size.
	 * @param size the size of each body in bytes; orders need at least 100
	 */
	Payloads(int size) {
		if (size < 100) {
			throw new IllegalArgumentException("--payload-bytes must be at least 100");
		}
		this.size = size;
	}

	/**
	 * Return the order with the given id.
	 * @param id the id
	 * @return the order, whose JSON has the configured size
	 */
	Order order(long id) {
		Order bare = new Order(id, System.currentTimeMillis(), "customer-" + (id % 1000), "");
		int padding = this.size - json(bare).length;
		return new Order(bare.id(), bare.createdAt(), bare.customer(), "x".repeat(Math.max(padding, 0)));
	}

	/**
	 * Return the JSON body of the order with the given id.
	 * @param id the id
	 * @return the body
	 */
	byte[] body(long id) {
		return json(order(id));
	}

	static byte[] json(Order order) {
		return MAPPER.writeValueAsString(order).getBytes(StandardCharsets.UTF_8);
	}

}
