package io.wimse4j.apicheck;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The members of an API class that code outside its package can use, shared by {@link ApiDump}
 * and {@link ThirdPartyLeaks} so that both see exactly the same surface: public and protected
 * constructors, methods and fields declared by the class, plus those it inherits from a
 * <em>hidden</em> wimse4j supertype (package-private, or in an {@code internal} package), which
 * reach callers through the API class. Synthetic and bridge members never count; enum constants
 * are reported on their own ({@link #enumConstants}).
 */
final class ApiMembers {
    private ApiMembers() {
    }

    /** Public and protected constructors, in no particular order. */
    static List<Constructor<?>> constructors(Class<?> c) {
        return Arrays.stream(c.getDeclaredConstructors())
                .filter(k -> visible(k) && !k.isSynthetic())
                .collect(Collectors.toList());
    }

    /**
     * Public and protected methods declared by {@code c} or inherited from a hidden supertype (of
     * methods with the same name and erased parameters, the one declared by {@code c} wins), in no
     * particular order.
     */
    static List<Method> methods(Class<?> c) {
        Map<String, Method> byErasure = new LinkedHashMap<>();
        addMethods(c, byErasure);
        for (Class<?> hidden : hiddenSupertypes(c)) {
            addMethods(hidden, byErasure);
        }
        return new ArrayList<>(byErasure.values());
    }

    private static void addMethods(Class<?> c, Map<String, Method> byErasure) {
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                byErasure.putIfAbsent(m.getName() + erasedParameters(m.getParameterTypes()), m);
            }
        }
    }

    /** Public and protected fields (not enum constants) of {@code c} and its hidden superclasses. */
    static List<Field> fields(Class<?> c) {
        List<Field> fields = new ArrayList<>();
        addFields(c, fields);
        for (Class<?> hidden : hiddenSupertypes(c)) {
            addFields(hidden, fields);
        }
        return fields;
    }

    private static void addFields(Class<?> c, List<Field> fields) {
        for (Field f : c.getDeclaredFields()) {
            if (visible(f) && !f.isSynthetic() && !f.isEnumConstant()) {
                fields.add(f);
            }
        }
    }

    /** The names of an enum's constants in ordinal order (their order is API); empty for a non-enum. */
    static List<String> enumConstants(Class<?> c) {
        if (!c.isEnum()) {
            return List.of();
        }
        return Arrays.stream(c.getDeclaredFields()).filter(Field::isEnumConstant).map(Field::getName).toList();
    }

    /**
     * The generic supertypes a caller sees: the superclass and interfaces of {@code c}, and,
     * through each hidden wimse4j supertype, that type's own supertypes.
     */
    static List<Type> exposedSupertypes(Class<?> c) {
        List<Type> types = new ArrayList<>();
        addSupertypes(c, types);
        for (Class<?> hidden : hiddenSupertypes(c)) {
            addSupertypes(hidden, types);
        }
        return types;
    }

    private static void addSupertypes(Class<?> c, List<Type> types) {
        if (c.getGenericSuperclass() != null) {
            types.add(c.getGenericSuperclass());
        }
        types.addAll(Arrays.asList(c.getGenericInterfaces()));
    }

    /**
     * The wimse4j supertypes of {@code c}, transitively, that are not themselves API classes of an
     * exported package, so that their public members are only reachable through {@code c}.
     */
    static List<Class<?>> hiddenSupertypes(Class<?> c) {
        List<Class<?>> hidden = new ArrayList<>();
        collectHidden(c, hidden);
        return hidden;
    }

    private static void collectHidden(Class<?> c, List<Class<?>> hidden) {
        List<Class<?>> supers = new ArrayList<>(Arrays.asList(c.getInterfaces()));
        if (c.getSuperclass() != null) {
            supers.add(0, c.getSuperclass());
        }
        for (Class<?> s : supers) {
            boolean isHidden = s.getName().startsWith("io.wimse4j.")
                    && !(ModuleClasses.isExportedPackage(s.getPackageName()) && ModuleClasses.isApiClass(s));
            if (isHidden && !hidden.contains(s)) {
                hidden.add(s);
                collectHidden(s, hidden);
            }
        }
    }

    /** {@code (java.lang.String,int[])}: erased parameter types, the key of an overload. */
    static String erasedParameters(Class<?>[] parameterTypes) {
        return Arrays.stream(parameterTypes).map(Class::getTypeName).collect(Collectors.joining(",", "(", ")"));
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }
}
