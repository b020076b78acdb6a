package io.hare.autoconfigure.ui;

import io.hare.autoconfigure.HareProperties;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.listener.HareListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Hare's operations page at {@code hare.ui.path}, on when {@code hare.ui.enabled} is set in
 * a servlet web application with the actuator. The page talks only to the {@code hare}
 * endpoint, so it can do exactly what the endpoint lets its user do.
 */
@AutoConfiguration(after = { HareEndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ RouterFunction.class, PathMappedEndpoints.class })
@ConditionalOnBooleanProperty("hare.ui.enabled")
@ConditionalOnBean(HareListenerRegistry.class)
public final class HareUiAutoConfiguration {

	/**
	 * Where the page finds the endpoint when the actuator does not say: Boot's default.
	 */
	private static final String DEFAULT_ENDPOINT_PATH = "/actuator/hare";

	@Bean
	@ConditionalOnMissingBean(name = "hareUiRouterFunction")
	RouterFunction<ServerResponse> hareUiRouterFunction(HareProperties properties,
			ObjectProvider<PathMappedEndpoints> endpoints) {
		String path = properties.getUi().getPath();
		if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
			throw new InvalidConfigurationPropertyValueException("hare.ui.path", path,
					"Give a path that starts with '/' and does not end with one, such as /hare");
		}
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		String endpointPath = (mapped != null) ? mapped.getPath(EndpointId.of("hare")) : null;
		return new HareUiPage(path, (endpointPath != null) ? endpointPath : DEFAULT_ENDPOINT_PATH).routes();
	}

}
