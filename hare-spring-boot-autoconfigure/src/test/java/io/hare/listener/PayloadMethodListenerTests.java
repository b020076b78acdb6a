package io.hare.listener;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which listener methods {@link PayloadMethodListener} calls directly, and that it leaves to
 * Spring AMQP's adapter what the adapter would treat otherwise.
 */
class PayloadMethodListenerTests {

	private final Handlers handlers = new Handlers();

	private final List<Message> adapted = new ArrayList<>();

	private final ChannelAwareMessageListener adapter = (message, channel) -> this.adapted.add(message);

	@Test
	void takesMethodsWithOnePlainPayloadAndNoReturnValue() {
		assertThat(PayloadMethodListener.supports(method("onText", String.class))).isTrue();
		assertThat(PayloadMethodListener.supports(method("onMessage", Message.class))).isTrue();
		assertThat(PayloadMethodListener.supports(method("withHeader", String.class, String.class))).isFalse();
		assertThat(PayloadMethodListener.supports(method("annotated", String.class))).isFalse();
		assertThat(PayloadMethodListener.supports(method("replies", String.class))).isFalse();
		assertThat(PayloadMethodListener.supports(method("onChannel", Channel.class))).isFalse();
		assertThat(PayloadMethodListener.supports(method("onBatch", List.class))).isFalse();
	}

	@Test
	void callsTheMethodWithTheDecodedPayload() throws Exception {
		listener("onText", String.class).onMessage(text("hello"), null);
		assertThat(this.handlers.received).containsExactly("hello");
		assertThat(this.adapted).isEmpty();
	}

	@Test
	void leavesAnEmptyPayloadToTheAdapter() throws Exception {
		Message empty = text("");
		listener("onText", String.class).onMessage(empty, null);
		assertThat(this.handlers.received).isEmpty();
		assertThat(this.adapted).containsExactly(empty);
	}

	@Test
	void throwsWhatTheMethodThrowsUnwrapped() {
		assertThatIllegalStateException().isThrownBy(() -> listener("fails", String.class).onMessage(text("x"), null))
			.withMessage("boom x");
	}

	private PayloadMethodListener listener(String name, Class<?>... parameterTypes) {
		return new PayloadMethodListener(this.handlers, method(name, parameterTypes), new SimpleMessageConverter(),
				this.adapter);
	}

	private static Method method(String name, Class<?>... parameterTypes) {
		Method method = ReflectionUtils.findMethod(Handlers.class, name, parameterTypes);
		assertThat(method).isNotNull();
		return method;
	}

	private static Message text(String body) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

	static class Handlers {

		final List<String> received = new ArrayList<>();

		void onText(String text) {
			this.received.add(text);
		}

		void onMessage(Message message) {
		}

		void withHeader(String text, @Header("h") String header) {
		}

		void annotated(@Header("h") String header) {
		}

		String replies(String text) {
			return text;
		}

		void onChannel(Channel channel) {
		}

		void onBatch(List<String> texts) {
		}

		void fails(String text) {
			throw new IllegalStateException("boom " + text);
		}

	}

}
