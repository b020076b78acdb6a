package io.hare.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Turns on correlated publisher confirms and returns on connection factories that have them
 * off: Hare acks a failed message only once its retry copy is confirmed, and must learn when a
 * copy was unroutable.
 */
class HareConnectionFactoryPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(HareConnectionFactoryPostProcessor.class);

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof CachingConnectionFactory connectionFactory) {
			if (!connectionFactory.isPublisherConfirms() && !connectionFactory.isSimplePublisherConfirms()) {
				logger.info("Hare turns on correlated publisher confirms on connection factory '" + beanName + "'");
				connectionFactory.setPublisherConfirmType(ConfirmType.CORRELATED);
			}
			if (!connectionFactory.isPublisherReturns()) {
				connectionFactory.setPublisherReturns(true);
			}
		}
		return bean;
	}

}
