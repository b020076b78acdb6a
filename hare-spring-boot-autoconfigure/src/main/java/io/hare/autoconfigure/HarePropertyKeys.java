package io.hare.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.listener.ListenerProperties;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.ResolvableType;

/**
 * Lists every key the binder accepts under {@code hare}, as it binds {@link HareProperties}:
 * a property whose type is one of Hare's settings classes is a group, a map of them has one
 * group per map key (written {@code *}), and anything else is a value.
 */
final class HarePropertyKeys {

	/**
	 * Every key, such as {@code hare.listeners.*.retry.limit}.
	 */
	static final List<String> KEYS = List.copyOf(keys(HareProperties.class, "hare"));

	private HarePropertyKeys() {
	}

	private static List<String> keys(Class<?> type, String prefix) {
		List<String> keys = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
				continue;
			}
			String key = prefix + "." + DataObjectPropertyName.toDashedForm(descriptor.getName());
			ResolvableType propertyType = ResolvableType.forMethodReturnType(descriptor.getReadMethod());
			Class<?> resolved = propertyType.resolve(Object.class);
			Class<?> mapValue = Map.class.isAssignableFrom(resolved) ? propertyType.asMap().getGeneric(1).resolve()
					: null;
			if (isGroup(mapValue)) {
				keys.addAll(keys(mapValue, key + ".*"));
			}
			else if (descriptor.getWriteMethod() == null && isGroup(resolved)) {
				keys.addAll(keys(resolved, key));
			}
			else if (descriptor.getWriteMethod() != null || Collection.class.isAssignableFrom(resolved)
					|| Map.class.isAssignableFrom(resolved)) {
				keys.add(key);
			}
		}
		return keys;
	}

	// Settings classes are the properties classes and their nested types: groups bound in
	// place, or the values of a map such as hare.listeners.
	private static boolean isGroup(@Nullable Class<?> type) {
		if (type == null || type.isEnum()) {
			return false;
		}
		Class<?> outer = (type.getEnclosingClass() != null) ? type.getEnclosingClass() : type;
		return outer == HareProperties.class || outer == ListenerProperties.class;
	}

}
