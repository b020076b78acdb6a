package io.hare.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.hare.listener.AckSettings;
import io.hare.listener.HareListenerCustomizer;
import io.hare.listener.IdempotentHandlers;
import io.hare.listener.ListenerProperties;
import io.hare.listener.ListenerSettings;
import io.hare.retry.RetryBackoff;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How a listener's settings are merged from every layer and validated once, each error naming
 * the key, attribute or customizer that supplied the bad value.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListenerSettingsResolutionTests {

	private static final String ANNOTATION = "@HareListener(%s) on com.acme.Orders.onOrder";

	private static final Map<String, String> ATTRIBUTES = Map.of("retry.limit", "retryLimit", "retry.delay", "delay",
			"retry.delays", "delays");

	private final Map<String, String> properties = new LinkedHashMap<>();

	private final DefaultListableBeanFactory customizers = new DefaultListableBeanFactory();

	private final RabbitProperties rabbitProperties = new RabbitProperties();

	private final DefaultListableBeanFactory inbox = new DefaultListableBeanFactory();

	@Test
	void layersEachSettingFromHareDefaultsUpToTheCustomizers() {
		this.properties.put("hare.defaults.prefetch", "10");
		this.properties.put("hare.defaults.retry.limit", "7");
		this.properties.put("hare.defaults.concurrency", "2");
		this.properties.put("hare.listeners.orders.concurrency", "3");
		ListenerProperties declared = declared();
		declared.setConcurrency(4);
		declared.getRetry().setLimit(5);
		customize("orders", (properties) -> properties.setPrefetch(50));
		ListenerSettings settings = resolve(declared);
		assertThat(settings.prefetch()).as("customizer over hare.defaults").isEqualTo(50);
		assertThat(settings.concurrency()).as("hare.listeners over the annotation").isEqualTo(3);
		assertThat(settings.retryPolicy().limit()).as("the annotation over hare.defaults").isEqualTo(5);
		assertThat(settings.retryPolicy().delays()).as("Hare's default").containsExactly(Duration.ofSeconds(10));
		assertThat(settings.topology().exchangeType()).isEqualTo("direct");
	}

	@Test
	void springRabbitmqListenerSimpleCountsOnlyWhereHareSetsNothing() {
		this.rabbitProperties.getListener().getSimple().setPrefetch(33);
		this.rabbitProperties.getListener().getSimple().setConcurrency(6);
		this.properties.put("hare.defaults.concurrency", "2");
		ListenerSettings settings = resolve(declared());
		assertThat(settings.prefetch()).isEqualTo(33);
		assertThat(settings.concurrency()).as("hare.defaults wins").isEqualTo(2);
	}

	@Test
	void aBadDefaultIsReportedByItsOwnKey() {
		this.properties.put("hare.defaults.prefetch", "0");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.defaults.prefetch"))
			.withMessageContaining("must be at least 1");
	}

	@Test
	void aBadAnnotationValueIsReportedByItsAttribute() {
		ListenerProperties declared = declared();
		declared.getRetry().setLimit(-1);
		assertThatIllegalStateException().isThrownBy(() -> resolve(declared))
			.withMessageContaining("@HareListener(retryLimit) on com.acme.Orders.onOrder")
			.withMessageContaining("must be zero or more");
	}

	@Test
	void aBadValueFromACustomizerIsReportedByTheCustomizer() {
		customize("orders", (properties) -> properties.setPrefetch(0));
		assertThatIllegalStateException().isThrownBy(() -> resolve(declared()))
			.withMessageContaining("HareListenerCustomizer")
			.withMessageContaining("prefetch");
	}

	@Test
	void aCustomizerSwitchingToAStreamDropsInheritedRetrySettings() {
		this.properties.put("hare.defaults.retry.limit", "4");
		this.properties.put("hare.defaults.concurrency", "3");
		customize("orders", (properties) -> properties.getQueue().setType(QueueType.STREAM));
		ListenerSettings settings = resolve(declared());
		assertThat(settings.isStream()).isTrue();
		assertThat(settings.retryPolicy()).isNull();
		assertThat(settings.concurrency()).isOne();
	}

	@Test
	void aCustomizerSwitchingAStreamToAQueueKeepsTheDefaults() {
		this.properties.put("hare.defaults.retry.limit", "4");
		this.properties.put("hare.defaults.concurrency", "3");
		ListenerProperties declared = declared();
		declared.getQueue().setType(QueueType.STREAM);
		customize("orders", (properties) -> properties.getQueue().setType(QueueType.CLASSIC));
		ListenerSettings settings = resolve(declared);
		assertThat(settings.retryPolicy().limit()).isEqualTo(4);
		assertThat(settings.concurrency()).isEqualTo(3);
	}

	@Test
	void retrySettingsOfTheListenerOnAStreamFailNamingTheirSource() {
		ListenerProperties declared = declared();
		declared.getQueue().setType(QueueType.STREAM);
		this.properties.put("hare.listeners.orders.retry.limit", "3");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.retry.limit"))
			.withMessageContaining("a stream cannot retry");
	}

	@Test
	void aFixedDelayOfTheListenerWithExponentialBackoffFailsInsteadOfBeingDropped() {
		ListenerProperties declared = declared();
		declared.getRetry().setDelay(Duration.ofSeconds(5));
		declared.getRetry().getBackoff().setType(RetryBackoff.EXPONENTIAL);
		assertThatIllegalStateException().isThrownBy(() -> resolve(declared))
			.withMessageContaining("@HareListener(delay)")
			.withMessageContaining("an exponential backoff computes each delay");
	}

	@Test
	void exponentialBackoffChosenInPropertiesReplacesTheAnnotationsFixedDelay() {
		ListenerProperties declared = declared();
		declared.getRetry().setDelay(Duration.ofSeconds(5));
		this.properties.put("hare.listeners.orders.retry.backoff.type", "exponential");
		ListenerSettings settings = resolve(declared);
		assertThat(settings.retryPolicy().isExponential()).isTrue();
		assertThat(settings.topology().delayLevels()).isEmpty();
	}

	@Test
	void aFixedDelayReplacesACascadeFromALowerLayerButNotFromTheSameOne() {
		ListenerProperties declared = declared();
		declared.getRetry().setDelays(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10)));
		this.properties.put("hare.listeners.orders.retry.delay", "3s");
		assertThat(resolve(declared).retryPolicy().delays()).containsExactly(Duration.ofSeconds(3));
		declared.getRetry().setDelay(Duration.ofSeconds(2));
		assertThatIllegalStateException().isThrownBy(() -> resolve(declared))
			.withMessageContaining("@HareListener(delays)")
			.withMessageContaining("not both");
	}

	@Test
	void consumersIsAnAliasOfConcurrencyThatMustAgreeWithIt() {
		this.properties.put("hare.listeners.orders.consumers", "3");
		assertThat(resolve(declared()).concurrency()).isEqualTo(3);
		this.properties.put("hare.listeners.orders.concurrency", "4");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.consumers"));
	}

	@Test
	void aHeadersExchangeBindsWithTheHeaderValuesToMatch() {
		this.properties.put("hare.listeners.orders.exchange", "documents");
		this.properties.put("hare.listeners.orders.exchange-type", "headers");
		this.properties.put("hare.listeners.orders.binding-arguments.x-match", "any");
		this.properties.put("hare.listeners.orders.binding-arguments.type", "invoice");
		ListenerSettings settings = resolve(declared());
		assertThat(settings.topology().declarables().getDeclarablesByType(Binding.class)).singleElement()
			.satisfies((binding) -> assertThat(binding.getArguments()).containsEntry("x-match", "any")
				.containsEntry("type", "invoice"));
	}

	@Test
	void aHeadersExchangeWithoutHeaderValuesFailsAsItWouldMatchEverything() {
		this.properties.put("hare.listeners.orders.exchange", "documents");
		this.properties.put("hare.listeners.orders.exchange-type", "headers");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.withMessageContaining("header values");
		this.properties.put("hare.listeners.orders.binding-arguments.type", "invoice");
		this.properties.put("hare.listeners.orders.binding-arguments.x-match", "some");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.withMessageContaining("x-match");
	}

	@Test
	void queueSettingsBecomeTheArgumentsOfTheWorkQueue() {
		this.properties.put("hare.listeners.orders.queue.type", "quorum");
		this.properties.put("hare.listeners.orders.queue.max-length", "1000");
		this.properties.put("hare.listeners.orders.queue.max-length-bytes", "10MB");
		this.properties.put("hare.listeners.orders.queue.overflow", "reject-publish");
		this.properties.put("hare.listeners.orders.queue.delivery-limit", "5");
		this.properties.put("hare.listeners.orders.queue.leader-locator", "balanced");
		this.properties.put("hare.listeners.orders.queue.initial-group-size", "3");
		assertThat(resolve(declared()).topology().queueArguments()).containsEntry("x-max-length", 1000L)
			.containsEntry("x-max-length-bytes", 10L * 1024 * 1024)
			.containsEntry("x-overflow", "reject-publish")
			.containsEntry("x-delivery-limit", 5)
			.containsEntry("x-queue-leader-locator", "balanced")
			.containsEntry("x-quorum-initial-group-size", 3);
	}

	@Test
	void initialGroupSizeReplicatesAQuorumQueueOrAStreamAndFailsForAClassicQueueOrBelowOne() {
		this.properties.put("hare.defaults.queue.initial-group-size", "3");
		this.properties.put("hare.listeners.orders.queue.type", "stream");
		assertThat(resolve(declared()).topology().queueArguments()).containsEntry("x-initial-cluster-size", 3)
			.doesNotContainKey("x-quorum-initial-group-size");
		this.properties.put("hare.listeners.orders.queue.type", "classic");
		assertThat(resolve(declared()).topology().queueArguments()).as("inherited, dropped for a classic queue")
			.doesNotContainKey("x-quorum-initial-group-size");
		this.properties.put("hare.listeners.orders.queue.initial-group-size", "3");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.queue.initial-group-size"))
			.withMessageContaining("not replicated");
		this.properties.put("hare.listeners.orders.queue.type", "quorum");
		this.properties.put("hare.listeners.orders.queue.initial-group-size", "0");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.queue.initial-group-size"))
			.withMessageContaining("at least 1");
		this.properties.put("hare.listeners.orders.queue.arguments.x-quorum-initial-group-size", "3");
		this.properties.put("hare.listeners.orders.queue.initial-group-size", "3");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.withMessageContaining("use queue.initial-group-size");
	}

	@Test
	void aQueueSettingTheQueueTypeDoesNotSupportFailsForTheListenerAndIsDroppedFromDefaults() {
		this.properties.put("hare.defaults.queue.max-priority", "10");
		this.properties.put("hare.listeners.orders.queue.type", "quorum");
		assertThat(resolve(declared()).topology().queueArguments()).doesNotContainKey("x-max-priority");
		this.properties.put("hare.listeners.orders.queue.delivery-limit", "3");
		this.properties.put("hare.listeners.orders.queue.type", "classic");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.queue.delivery-limit"))
			.withMessageContaining("only [quorum] queues take x-delivery-limit");
	}

	@Test
	void aStreamTakesItsRetentionInWholeSeconds() {
		this.properties.put("hare.listeners.orders.queue.type", "stream");
		this.properties.put("hare.listeners.orders.stream.max-age", "7d");
		this.properties.put("hare.listeners.orders.stream.max-segment-size", "50MB");
		assertThat(resolve(declared()).topology().queueArguments()).containsEntry("x-max-age", "604800s")
			.containsEntry("x-stream-max-segment-size-bytes", 50L * 1024 * 1024);
		this.properties.put("hare.listeners.orders.stream.max-age", "1500ms");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.withMessageContaining("whole seconds");
	}

	@Test
	void aStreamWithoutRetentionIsDeclaredWithAWarning(CapturedOutput output) {
		this.properties.put("hare.listeners.orders.queue.type", "stream");
		resolve(declared());
		assertThat(output).contains("Hare listener 'orders' declares stream 'orders' with no retention");
	}

	@Test
	void freeQueueArgumentsCannotSetWhatHasASettingOfItsOwn() {
		this.properties.put("hare.listeners.orders.queue.arguments.x-message-ttl", "1000");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.withMessageContaining("use queue.message-ttl");
	}

	@Test
	void aMisspeltKeyFailsStartupNamingItAndWhatItProbablyMeant() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class))
			.withPropertyValues("hare.listeners.orders.retry-limit=1", "hare.listeners.orders.queue-type=quorum",
					"hare.defaults.retry.initial=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
					.isInstanceOf(UnboundConfigurationPropertiesException.class);
				FailureAnalysis analysis = new UnknownHarePropertyFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).contains("hare.listeners.orders.retry-limit",
						"hare.listeners.orders.queue-type", "hare.defaults.retry.initial");
				assertThat(analysis.getAction())
					.contains("hare.listeners.orders.retry-limit: did you mean hare.listeners.orders.retry.limit?")
					.contains("did you mean hare.listeners.orders.queue.type")
					.contains("did you mean hare.defaults.retry.backoff.initial");
			});
	}

	@Test
	void hareTestTimeScaleScalesTheCascadeAndTheDelayQueuesAlike() {
		this.properties.put("hare.test.time-scale", "0.01");
		this.properties.put("hare.listeners.orders.retry.delays", "1s,10s,1m");
		ListenerSettings settings = resolve(declared());
		List<Duration> scaled = List.of(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(600));
		assertThat(settings.retryPolicy().delays()).isEqualTo(scaled);
		assertThat(settings.topology().delayLevels()).isEqualTo(scaled);
		assertThat(settings.topology().declarables().getDeclarablesByType(Queue.class))
			.filteredOn((queue) -> queue.getName().equals("orders.delay.3"))
			.singleElement()
			.satisfies((queue) -> assertThat(queue.getArguments()).containsEntry("x-message-ttl", 600));
	}

	@Test
	void hareTestTimeScaleOutsideZeroToOneFailsNamingTheKey() {
		this.properties.put("hare.test.time-scale", "0");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.test.time-scale"));
	}

	@Test
	void hareTestNamePrefixRenamesQueueAndExchangeButKeepsTheQueueAsRoutingKey() {
		this.properties.put("hare.test.name-prefix", "t1.");
		ListenerProperties declared = declared();
		declared.setExchange("shop");
		ListenerSettings settings = resolve(declared);
		assertThat(settings.queue()).isEqualTo("t1.orders");
		assertThat(settings.topology().exchange()).isEqualTo("t1.shop");
		assertThat(settings.topology().deadQueue()).isEqualTo("t1.orders.dead");
		assertThat(settings.topology().routingKeys()).containsExactly("orders");
	}

	@Test
	void aStreamDeadLetterIsPrefixedLikeQueues() {
		this.properties.put("hare.test.name-prefix", "t1.");
		this.properties.put("hare.listeners.orders.stream.dead-letter", "orders.failed");
		ListenerProperties declared = declared();
		declared.getQueue().setType(QueueType.STREAM);
		assertThat(resolve(declared).streamDeadLetter()).isEqualTo("t1.orders.failed");
	}

	@Test
	void aStoreIntervalTheStreamClientRefusesFailsNamingTheKey() {
		this.properties.put("hare.listeners.orders.stream.store-interval", "1s");
		ListenerProperties declared = declared();
		declared.getQueue().setType(QueueType.STREAM);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> resolve(declared))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.stream.store-interval"))
			.withMessageContaining("must be longer than 1s");
	}

	@Test
	void aStreamDeadLetterOnAQueueListenerFailsNamingTheKey() {
		this.properties.put("hare.listeners.orders.stream.dead-letter", "orders.failed");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.stream.dead-letter"))
			.withMessageContaining("applies only to a listener whose queue.type is stream");
	}

	@Test
	void aStreamDeadLetterFromTheDefaultsIsIgnoredByQueueListeners() {
		this.properties.put("hare.defaults.stream.dead-letter", "failed");
		assertThat(resolve(declared()).streamDeadLetter()).isNull();
	}

	@Test
	void idempotentWithTheInboxOffFailsNamingTheAttributeAndTheKeyThatTurnsItOn() {
		ListenerProperties declared = declared();
		declared.setIdempotent(true);
		assertThatIllegalStateException().isThrownBy(() -> resolve(declared))
			.withMessageContaining(ANNOTATION.formatted("idempotent"))
			.withMessageContaining("set hare.inbox.enabled=true");
	}

	@Test
	void idempotentWithTheInboxEnabledButNoDataSourceFailsNamingTheKey() {
		this.properties.put("hare.inbox.enabled", "true");
		this.properties.put("hare.listeners.orders.idempotent", "true");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.idempotent"))
			.withMessageContaining("a single DataSource");
	}

	@Test
	void idempotentWithTheInboxIsResolved() {
		this.properties.put("hare.inbox.enabled", "true");
		this.inbox.registerSingleton("inbox", (IdempotentHandlers) (id, handler) -> handler);
		ListenerProperties declared = declared();
		declared.setIdempotent(true);
		assertThat(resolve(declared).idempotent()).isTrue();
		assertThat(resolve(declared()).idempotent()).as("not asked for").isFalse();
	}

	@Test
	void idempotentOnAStreamFailsForTheListenerAndIsDroppedFromDefaults() {
		this.properties.put("hare.inbox.enabled", "true");
		this.inbox.registerSingleton("inbox", (IdempotentHandlers) (id, handler) -> handler);
		this.properties.put("hare.defaults.idempotent", "true");
		ListenerProperties declared = declared();
		declared.getQueue().setType(QueueType.STREAM);
		assertThat(resolve(declared).idempotent()).isFalse();
		declared.setIdempotent(true);
		assertThatIllegalStateException().isThrownBy(() -> resolve(declared))
			.withMessageContaining(ANNOTATION.formatted("idempotent"))
			.withMessageContaining("stream");
	}

	@Test
	void acksAreBatchedByDefaultAtMostHalfThePrefetch() {
		assertThat(resolve(declared()).ack()).isEqualTo(new AckSettings(50, Duration.ofMillis(100)));
		ListenerProperties declared = declared();
		declared.setPrefetch(10);
		assertThat(resolve(declared).ack().batchSize()).as("half the prefetch").isEqualTo(5);
		declared.setPrefetch(1);
		assertThat(resolve(declared).ack().isBatched()).as("prefetch 1 acks each message").isFalse();
	}

	@Test
	void ackBatchSizeOneAcksEachMessage() {
		this.properties.put("hare.listeners.orders.ack.batch-size", "1");
		this.properties.put("hare.listeners.orders.ack.batch-timeout", "20ms");
		assertThat(resolve(declared()).ack()).isEqualTo(new AckSettings(1, Duration.ofMillis(20)));
	}

	@Test
	void anAckBatchLargerThanThePrefetchFailsForTheListenerAndIsCappedFromDefaults() {
		this.properties.put("hare.defaults.ack.batch-size", "500");
		ListenerProperties declared = declared();
		declared.setPrefetch(20);
		assertThat(resolve(declared).ack().batchSize()).as("capped at the prefetch").isEqualTo(20);
		this.properties.put("hare.listeners.orders.ack.batch-size", "30");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.ack.batch-size"))
			.withMessageContaining("at most the prefetch (20)");
	}

	@Test
	void aBadAckSettingFailsNamingItsKey() {
		this.properties.put("hare.defaults.ack.batch-size", "0");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.defaults.ack.batch-size"))
			.withMessageContaining("must be at least 1");
		this.properties.remove("hare.defaults.ack.batch-size");
		this.properties.put("hare.listeners.orders.ack.batch-timeout", "0s");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> resolve(declared()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("hare.listeners.orders.ack.batch-timeout"))
			.withMessageContaining("must be positive");
	}

	@Test
	void aStreamListenerAcksEachMessageAndRefusesItsOwnAckSettings() {
		this.properties.put("hare.defaults.ack.batch-size", "10");
		ListenerProperties declared = declared();
		declared.getQueue().setType(QueueType.STREAM);
		assertThat(resolve(declared).ack().isBatched()).isFalse();
		declared.getAck().setBatchSize(10);
		assertThatIllegalStateException().isThrownBy(() -> resolve(declared))
			.withMessageContaining(ANNOTATION.formatted("ack.batchSize"))
			.withMessageContaining("stream");
	}

	private ListenerProperties declared() {
		ListenerProperties declared = new ListenerProperties();
		declared.getQueue().setName("orders");
		return declared;
	}

	private void customize(String id, Consumer<ListenerProperties> customizer) {
		this.customizers.registerSingleton("customizer" + this.customizers.getSingletonCount(),
				HareListenerCustomizer.of(id, customizer));
	}

	private ListenerSettings resolve(ListenerProperties declared) {
		HareProperties hare = new HareProperties();
		new Binder(new MapConfigurationPropertySource(this.properties)).bind("hare", Bindable.ofInstance(hare));
		return new HareListenerSettingsResolver(hare, this.rabbitProperties, Set.of("default"),
				this.customizers.getBeanProvider(HareListenerCustomizer.class),
				this.inbox.getBeanProvider(IdempotentHandlers.class))
			.resolve("orders", declared, (path) -> ANNOTATION.formatted(ATTRIBUTES.getOrDefault(path, path)));
	}

}
