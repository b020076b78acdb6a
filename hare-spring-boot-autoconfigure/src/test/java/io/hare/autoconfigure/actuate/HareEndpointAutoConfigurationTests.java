package io.hare.autoconfigure.actuate;

import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hare.actuate.HareEndpoint;
import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.convert.support.ConfigurableConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HareEndpointAutoConfiguration}, as Spring Boot tests its own endpoints: the
 * bean is there when exposed and not otherwise, and write operations are mapped only with
 * write access. No broker is needed: nothing connects until a listener starts.
 */
class HareEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		// As in a SpringApplication, so that "read-only" binds to Access.READ_ONLY.
		.withInitializer((context) -> context.getEnvironment()
			.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
				HareOperationsAutoConfiguration.class, HareEndpointAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class));

	@Test
	void endpointIsAbsentWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(HareEndpoint.class));
	}

	@Test
	void endpointIsPresentWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hare")
			.run((context) -> assertThat(context).hasSingleBean(HareEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenItsAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=hare", "management.endpoint.hare.access=none")
			.run((context) -> assertThat(context).doesNotHaveBean(HareEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutTheActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hare")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HareEndpoint.class);
			});
	}

	@Test
	void userEndpointBeanWins() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hare")
			.withBean("myHareEndpoint", HareEndpoint.class,
					() -> new HareEndpoint(null, null, null, null, null, null))
			.run((context) -> assertThat(context).getBean(HareEndpoint.class)
				.isSameAs(context.getBean("myHareEndpoint")));
	}

	@Test
	void writeOperationsAreRefusedByDefault() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=hare")
			.run((context) -> assertThat(httpMethods(context.getBean(WebEndpointsSupplier.class)))
				.containsOnly(WebEndpointHttpMethod.GET));
	}

	@Test
	void writeOperationsAreRefusedWithReadOnlyAccess() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=hare",
					"management.endpoint.hare.access=read-only")
			.run((context) -> assertThat(httpMethods(context.getBean(WebEndpointsSupplier.class)))
				.containsOnly(WebEndpointHttpMethod.GET));
	}

	@Test
	void writeOperationsAreMappedWithUnrestrictedAccess() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=hare",
					"management.endpoint.hare.access=unrestricted")
			.run((context) -> {
				Collection<WebOperation> operations = hareOperations(context.getBean(WebEndpointsSupplier.class));
				assertThat(operations).extracting((operation) -> operation.getRequestPredicate().getHttpMethod())
					.containsOnly(WebEndpointHttpMethod.GET, WebEndpointHttpMethod.POST);
				assertThat(operations).filteredOn(
						(operation) -> operation.getRequestPredicate().getHttpMethod() == WebEndpointHttpMethod.POST)
					.singleElement()
					.satisfies((operation) -> assertThat(operation.getRequestPredicate().getPath())
						.isEqualTo("hare/{listenerId}"));
			});
	}

	private static List<WebEndpointHttpMethod> httpMethods(WebEndpointsSupplier supplier) {
		return hareOperations(supplier).stream()
			.map((operation) -> operation.getRequestPredicate().getHttpMethod())
			.toList();
	}

	private static Collection<WebOperation> hareOperations(WebEndpointsSupplier supplier) {
		ExposableWebEndpoint hare = supplier.getEndpoints()
			.stream()
			.filter((endpoint) -> endpoint.getEndpointId().equals(EndpointId.of("hare")))
			.findFirst()
			.orElseThrow();
		return hare.getOperations();
	}

}
