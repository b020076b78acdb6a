package io.hare.autoconfigure;

import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.hare.listener.HareListenerCustomizer;
import io.hare.listener.IdempotentHandlers;
import io.hare.listener.ListenerProperties;
import io.hare.listener.ListenerSettings;
import io.hare.listener.ListenerSettingsResolver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;

/**
 * Resolves a listener's settings from, lowest first: Hare's defaults,
 * {@code spring.rabbitmq.listener.simple.prefetch} and {@code .concurrency},
 * {@code hare.defaults}, what the listener declares, {@code hare.listeners.<id>}, and the
 * {@link HareListenerCustomizer customizers} in order. The only code that knows the
 * {@code hare.*} keys of listeners.
 */
final class HareListenerSettingsResolver implements ListenerSettingsResolver {

	private static final String DEFAULTS = "hare.defaults.";

	private static final String BOOT_LISTENER = "spring.rabbitmq.listener.simple.";

	private final HareProperties properties;

	private final ListenerProperties bootDefaults;

	private final ObjectProvider<HareListenerCustomizer> customizers;

	private final ListenerSettingsFactory factory;

	HareListenerSettingsResolver(HareProperties properties, @Nullable RabbitProperties rabbitProperties,
			Set<String> connections, ObjectProvider<HareListenerCustomizer> customizers,
			ObjectProvider<IdempotentHandlers> inbox) {
		this.properties = properties;
		this.bootDefaults = bootDefaults(rabbitProperties);
		this.customizers = customizers;
		this.factory = new ListenerSettingsFactory(connections, properties.getDelay().isEnabled());
		this.factory.setTimeScale(HareTestSettings.timeScale(properties));
		this.factory.setNamePrefix(properties.getTest().getNamePrefix());
		this.factory.setInboxMissing(() -> inboxMissing(properties, inbox));
		HareTestSettings.warnIfSet(properties);
	}

	@Override
	public ListenerSettings resolve(String id, ListenerProperties declared, Function<String, String> declaredSource,
			boolean batch) {
		String prefix = "hare.listeners." + id + ".";
		MergedListenerProperties settings = new MergedListenerProperties(id, prefix);
		settings.lay(this.bootDefaults,
				(path, layer) -> SettingSource.property(BOOT_LISTENER + ListenerPropertyPaths.key(path), false, layer));
		settings.lay(this.properties.getDefaults(),
				(path, layer) -> SettingSource.property(DEFAULTS + ListenerPropertyPaths.key(path), false, layer));
		settings.lay(declared, (path, layer) -> SettingSource.declared(declaredSource.apply(path), layer));
		ListenerProperties own = this.properties.getListeners().get(id);
		if (own != null) {
			settings.lay(own,
					(path, layer) -> SettingSource.property(prefix + ListenerPropertyPaths.key(path), true, layer));
		}
		this.customizers.orderedStream().forEach(settings::customize);
		return this.factory.create(settings, batch);
	}

	private static @Nullable String inboxMissing(HareProperties properties, ObjectProvider<IdempotentHandlers> inbox) {
		if (!properties.getInbox().isEnabled()) {
			return "set hare.inbox.enabled=true";
		}
		if (inbox.getIfAvailable() == null) {
			return "hare.inbox.enabled is set, but the inbox needs spring-jdbc, a single DataSource and a single "
					+ "transaction manager";
		}
		return null;
	}

	// Boot's listener container settings count for what neither Hare's properties nor the
	// listener set; Hare's own settings win over them.
	private static ListenerProperties bootDefaults(@Nullable RabbitProperties rabbitProperties) {
		ListenerProperties defaults = new ListenerProperties();
		if (rabbitProperties != null) {
			RabbitProperties.SimpleContainer simple = rabbitProperties.getListener().getSimple();
			defaults.setPrefetch(simple.getPrefetch());
			defaults.setConcurrency(simple.getConcurrency());
		}
		return defaults;
	}

}
