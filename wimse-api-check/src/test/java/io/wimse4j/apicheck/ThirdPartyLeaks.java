package io.wimse4j.apicheck;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Finds third-party types in public signatures: a type of one of the {@link #THIRD_PARTY}
 * packages anywhere in the declaration of an API class (superclass, interfaces, type parameter
 * bounds) or of one of its {@linkplain ApiMembers API members} (parameter, return, field and thrown
 * types, type parameter bounds), also as a type argument at any depth
 * ({@code Map<String, List<? extends JWK>>}), an array component or the owner of a nested type.
 * Annotations are not part of the check.
 *
 * <p>Each finding is a {@link Leak}; the same third-party type twice in one member is one leak.
 */
final class ThirdPartyLeaks {
    /** Package prefixes whose types must not appear in a public signature of wimse4j. */
    static final List<String> THIRD_PARTY = List.of(
            "com.nimbusds.", "com.fasterxml.", "org.bouncycastle.", "io.lettuce.", "org.eclipse.jetty.", "io.netty.");

    private ThirdPartyLeaks() {
    }

    /**
     * A third-party type in a public signature.
     *
     * @param module    the artifactId of the module, e.g. {@code wimse-core}
     * @param className the binary name of the API class exposing it
     * @param member    {@code <class>} for the class declaration, {@code <init>(erased parameters)}
     *                  for a constructor, {@code name(erased parameters)} for a method, the name of a field
     * @param type      the binary name of the third-party class
     */
    record Leak(String module, String className, String member, String type) implements Comparable<Leak> {
        private static final Comparator<Leak> ORDER = Comparator.comparing(Leak::module)
                .thenComparing(Leak::className).thenComparing(Leak::member).thenComparing(Leak::type);

        /** {@code io.wimse4j.core.key.WorkloadKeyPair#publicJwk(): com.nimbusds.jose.jwk.JWK}. */
        @Override
        public String toString() {
            return className + "#" + member + ": " + type;
        }

        /** The line of {@code third-party-allowlist.txt}: {@code module class#member type}. */
        String allowlistLine() {
            return module + " " + className + "#" + member + " " + type;
        }

        /** Parses an {@link #allowlistLine()}; rejects anything else. */
        static Leak parse(String line) {
            String[] parts = line.trim().split("\\s+");
            int hash = parts.length == 3 ? parts[1].indexOf('#') : -1;
            if (hash <= 0 || hash == parts[1].length() - 1) {
                throw new IllegalArgumentException("not a '<module> <class>#<member> <type>' line: " + line);
            }
            return new Leak(parts[0], parts[1].substring(0, hash), parts[1].substring(hash + 1), parts[2]);
        }

        @Override
        public int compareTo(Leak other) {
            return ORDER.compare(this, other);
        }
    }

    /**
     * The check run on every module: the leaks in the API classes of exported packages among
     * {@code classes} (all classes of {@code module}, API or not).
     */
    static SortedSet<Leak> check(String module, List<Class<?>> classes) {
        return find(module, ModuleClasses.apiClasses(classes));
    }

    /** Every leak in {@code apiClasses} (API classes of exported packages of {@code module}). */
    static SortedSet<Leak> find(String module, List<Class<?>> apiClasses) {
        SortedSet<Leak> leaks = new TreeSet<>();
        for (Class<?> c : apiClasses) {
            List<Type> declaration = new ArrayList<>(ApiMembers.exposedSupertypes(c));
            declaration.addAll(Arrays.asList(c.getTypeParameters()));
            report(module, c, "<class>", declaration, leaks);
            for (Constructor<?> k : ApiMembers.constructors(c)) {
                report(module, c, "<init>" + ApiMembers.erasedParameters(k.getParameterTypes()), signature(k, null), leaks);
            }
            for (Method m : ApiMembers.methods(c)) {
                report(module, c, m.getName() + ApiMembers.erasedParameters(m.getParameterTypes()),
                        signature(m, m.getGenericReturnType()), leaks);
            }
            for (Field f : ApiMembers.fields(c)) {
                report(module, c, f.getName(), List.of(f.getGenericType()), leaks);
            }
        }
        return leaks;
    }

    private static List<Type> signature(Executable e, Type returnType) {
        List<Type> types = new ArrayList<>();
        if (returnType != null) {
            types.add(returnType);
        }
        types.addAll(Arrays.asList(e.getGenericParameterTypes()));
        types.addAll(Arrays.asList(e.getGenericExceptionTypes()));
        types.addAll(Arrays.asList(e.getTypeParameters()));
        // erased types too: a signature without generic information still names its classes
        types.addAll(Arrays.asList(e.getParameterTypes()));
        types.addAll(Arrays.asList(e.getExceptionTypes()));
        return types;
    }

    private static void report(String module, Class<?> c, String member, List<Type> types, Set<Leak> leaks) {
        Set<String> found = new TreeSet<>();
        Set<Type> seen = new HashSet<>();
        for (Type t : types) {
            collect(t, found, seen);
        }
        for (String type : found) {
            leaks.add(new Leak(module, c.getName(), member, type));
        }
    }

    /** Adds the third-party classes mentioned anywhere in {@code t}; {@code seen} stops {@code T extends Comparable<T>}. */
    static void collect(Type t, Set<String> found, Set<Type> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        if (t instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (isThirdParty(c.getName())) {
                found.add(c.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            collect(p.getRawType(), found, seen);
            collect(p.getOwnerType(), found, seen);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, found, seen);
            }
        } else if (t instanceof WildcardType w) {
            Arrays.stream(w.getUpperBounds()).forEach(b -> collect(b, found, seen));
            Arrays.stream(w.getLowerBounds()).forEach(b -> collect(b, found, seen));
        } else if (t instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), found, seen);
        } else if (t instanceof TypeVariable<?> v) {
            Arrays.stream(v.getBounds()).forEach(b -> collect(b, found, seen));
        } else {
            throw new IllegalStateException("unknown kind of type " + t.getClass() + ": " + t);
        }
    }

    /** Whether {@code className} belongs to one of the {@link #THIRD_PARTY} packages. */
    static boolean isThirdParty(String className) {
        return THIRD_PARTY.stream().anyMatch(className::startsWith);
    }
}
