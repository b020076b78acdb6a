package io.hare.autoconfigure.ui;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.convert.support.ConfigurableConversionService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for {@link HareUiAutoConfiguration}: the page is off unless enabled, only in a servlet
 * web application with Spring MVC, a user's bean wins, a bad path fails start-up, and it is
 * served from the jar told where the endpoint is. No broker is needed.
 */
class HareUiAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(RabbitAutoConfiguration.class,
			HareAutoConfiguration.class, HareOperationsAutoConfiguration.class, HareEndpointAutoConfiguration.class,
			EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class, HareUiAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment()
			.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("management.endpoints.web.exposure.include=hare");

	@Test
	void pageIsOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean("hareUiRouterFunction"));
	}

	@Test
	void pageIsOnWhenEnabled() {
		this.contextRunner.withPropertyValues("hare.ui.enabled=true")
			.run((context) -> assertThat(context).hasBean("hareUiRouterFunction"));
	}

	@Test
	void pageIsOffOutsideAWebApplication() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("hare.ui.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean("hareUiRouterFunction"));
	}

	@Test
	void pageIsOffWithoutSpringMvc() {
		this.contextRunner.withPropertyValues("hare.ui.enabled=true")
			.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("hareUiRouterFunction");
			});
	}

	@Test
	void userBeanWins() {
		RouterFunction<ServerResponse> mine = (request) -> Optional.empty();
		this.contextRunner.withPropertyValues("hare.ui.enabled=true")
			.withBean("hareUiRouterFunction", RouterFunction.class, () -> mine)
			.run((context) -> assertThat(context.getBean("hareUiRouterFunction")).isSameAs(mine));
	}

	@Test
	void badPathFailsStartUpNamingTheKey() {
		this.contextRunner.withPropertyValues("hare.ui.enabled=true", "hare.ui.path=hare/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("hare.ui.path"));
	}

	@Test
	void servesThePageFromTheJarToldWhereTheEndpointIs() throws Exception {
		this.contextRunner
			.withPropertyValues("hare.ui.enabled=true", "hare.ui.path=/ops/rabbit",
					"management.endpoints.web.base-path=/manage")
			.run((context) -> {
				MockMvc mvc = mvc(context);
				mvc.perform(get("/ops/rabbit")).andExpect(status().isFound()).andExpect(redirectedUrl("/ops/rabbit/"));
				mvc.perform(get("/ops/rabbit/"))
					.andExpect(status().isOk())
					.andExpect(content().contentTypeCompatibleWith("text/html"))
					.andExpect(content().string(containsString("<meta name=\"hare-endpoint\" content=\"/manage/hare\">")))
					.andExpect(header().string("Content-Security-Policy", HareUiPage.CONTENT_SECURITY_POLICY));
				mvc.perform(get("/ops/rabbit/hare.js"))
					.andExpect(status().isOk())
					.andExpect(content().string(containsString("hare-endpoint")));
				mvc.perform(get("/ops/rabbit/hare.css")).andExpect(status().isOk());
				mvc.perform(get("/ops/rabbit/ui-page.html")).andExpect(status().isNotFound());
			});
	}

	@SuppressWarnings("unchecked")
	private static MockMvc mvc(AssertableWebApplicationContext context) {
		return MockMvcBuilders.routerFunctions(context.getBean("hareUiRouterFunction", RouterFunction.class)).build();
	}

}
