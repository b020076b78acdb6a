package io.hare.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.hare.listener.ListenerProperties;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * Reads and writes the settings of a {@link ListenerProperties} by path, such as
 * {@code retry.backoff.initial}, so that layers can be merged setting by setting without
 * naming each one.
 */
final class ListenerPropertyPaths {

	/**
	 * Every settable path, such as {@code queue.name} or {@code retry.backoff.initial}.
	 */
	static final List<String> PATHS = List.copyOf(paths(ListenerProperties.class, ""));

	private ListenerPropertyPaths() {
	}

	/**
	 * Return the settings that are set, by path.
	 * @param properties the settings
	 * @return the set values by path, in {@link #PATHS} order
	 */
	static Map<String, Object> read(ListenerProperties properties) {
		BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(properties);
		Map<String, Object> values = new LinkedHashMap<>();
		for (String path : PATHS) {
			Object value = wrapper.getPropertyValue(path);
			if (value != null) {
				values.put(path, copy(value));
			}
		}
		return values;
	}

	/**
	 * Build settings that hold the given values.
	 * @param values the values by path
	 * @return the settings
	 */
	static ListenerProperties write(Map<String, Object> values) {
		ListenerProperties properties = new ListenerProperties();
		BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(properties);
		values.forEach((path, value) -> wrapper.setPropertyValue(path, copy(value)));
		return properties;
	}

	/**
	 * Return the property key of a path, relative to a listener's prefix.
	 * @param path the path, such as {@code queue.messageTtl}
	 * @return the key, such as {@code queue.message-ttl}
	 */
	static String key(String path) {
		return Arrays.stream(path.split("\\.")).map(DataObjectPropertyName::toDashedForm).collect(Collectors.joining("."));
	}

	// Lists and maps are copied so that a customizer cannot change a layer through them.
	private static Object copy(Object value) {
		if (value instanceof List<?> list) {
			return new ArrayList<>(list);
		}
		if (value instanceof Map<?, ?> map) {
			return new LinkedHashMap<>(map);
		}
		return value;
	}

	private static List<String> paths(Class<?> type, String prefix) {
		List<String> paths = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
				continue;
			}
			String path = prefix + descriptor.getName();
			if (descriptor.getWriteMethod() != null) {
				paths.add(path);
			}
			else if (isGroup(descriptor.getPropertyType())) {
				paths.addAll(paths(descriptor.getPropertyType(), path + "."));
			}
		}
		return paths;
	}

	private static boolean isGroup(@Nullable Class<?> type) {
		return type != null && type.getEnclosingClass() == ListenerProperties.class
				&& !Collection.class.isAssignableFrom(type);
	}

}
