package io.hare.benchmarks;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * The application a Hare user writes to publish orders: nothing but
 * {@code hare.publishers.<name>.*} properties, which make a {@code HarePublisher} bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class HarePublishApplication {

}
