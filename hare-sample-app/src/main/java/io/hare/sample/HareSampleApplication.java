package io.hare.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The sample application: listeners for orders and payments, and a producer that keeps them
 * busy.
 */
@SpringBootApplication
@EnableScheduling
public class HareSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(HareSampleApplication.class, args);
	}

}
