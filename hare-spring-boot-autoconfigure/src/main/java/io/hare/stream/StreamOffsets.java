package io.hare.stream;

import com.rabbitmq.stream.OffsetSpecification;

import io.hare.topology.StreamOffset;

/**
 * Translates Hare's stream offsets into the stream client's.
 */
final class StreamOffsets {

	private StreamOffsets() {
	}

	static OffsetSpecification specification(StreamOffset offset) {
		return switch (offset.kind()) {
			case NEXT -> OffsetSpecification.next();
			case FIRST -> OffsetSpecification.first();
			case LAST -> OffsetSpecification.last();
			case OFFSET -> OffsetSpecification.offset((Long) offset.argument());
			case TIMESTAMP -> OffsetSpecification.timestamp(((java.util.Date) offset.argument()).getTime());
			// The broker would measure "ago" on its own clock; the stream protocol takes a time.
			case AGO -> OffsetSpecification.timestamp(System.currentTimeMillis()
					- Long.parseLong(((String) offset.argument()).replace("s", "")) * 1000);
		};
	}

}
