package io.hare.testing;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Makes the {@link HareTestHarness} forget what it recorded before each test method, so that
 * a test sharing a cached application context sees only its own messages.
 */
public class HareTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		// Never load a context for a test that has not loaded one.
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext().getBeanProvider(HareTestHarness.class).ifAvailable(HareTestHarness::reset);
		}
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE - 100;
	}

}
