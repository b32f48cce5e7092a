package org.valueimprint.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;

/**
 * No ONNX Runtime (or DJL) type appears in the public API of this module: every public or protected constructor,
 * method, field, record component, supertype and thrown exception of every public class in the module's packages,
 * except packages named {@code internal}, is checked, by reflection over the classes of the module's own jar (or
 * classes folder). Public so that its fixture {@link Leaky} counts as public API.
 */
public class NoRuntimeTypesInApiTest {
    /** Package prefixes that are implementation details of this module. */
    static final List<String> HIDDEN = List.of("ai.onnxruntime.", "ai.djl.");

    /** Scanned by JUnit. */
    public NoRuntimeTypesInApiTest() {}

    @Test
    void thePublicApiMentionsNoOnnxRuntimeOrDjlType() {
        List<Class<?>> classes = moduleClasses();
        assertThat(classes).as("the module's classes were found").hasSizeGreaterThan(50)
                .contains(OnnxTextEncoder.class);
        Set<String> leaks = new TreeSet<>();
        for (Class<?> type : classes) {
            leaks.addAll(leaks(type));
        }
        assertThat(leaks).as("public signatures mentioning " + HIDDEN).isEmpty();
    }

    @Test
    void theScanFindsALeak() {
        assertThat(leaks(Leaky.class)).containsExactlyInAnyOrder(
                Leaky.class.getName() + ".session(): ai.onnxruntime.OrtSession",
                Leaky.class.getName() + ".run(...): java.util.List<ai.onnxruntime.OnnxTensor>",
                Leaky.class.getName() + ".run(...) throws ai.onnxruntime.OrtException",
                Leaky.class.getName() + ".FIELD: java.util.Map<java.lang.String, ai.onnxruntime.OrtSession"
                        + "$SessionOptions>");
        assertThat(leaks(Leaky.Hidden.class)).isEmpty();
    }

    /** A fixture: public members that leak, and private or package-private ones that do not count. */
    public static final class Leaky {
        /** Leaks through a field's type argument. */
        public static final java.util.Map<String, ai.onnxruntime.OrtSession.SessionOptions> FIELD = null;

        /** Leaks through its return type. */
        public ai.onnxruntime.OrtSession session() {
            return null;
        }

        /** Leaks through a type argument and a thrown exception. */
        public List<ai.onnxruntime.OnnxTensor> run(int n) throws ai.onnxruntime.OrtException {
            return List.of();
        }

        ai.onnxruntime.OrtSession packagePrivate() {
            return null;
        }

        /** Not public: not scanned. */
        static final class Hidden {
            public ai.onnxruntime.OrtSession session() {
                return null;
            }
        }
    }

    /** The public signatures of {@code type} that mention a hidden type, as {@code Class.member: type}. */
    static List<String> leaks(Class<?> type) {
        List<String> out = new ArrayList<>();
        if (!exported(type)) {
            return out;
        }
        String name = type.getName();
        check(out, name + " extends", type.getGenericSuperclass());
        for (Type i : type.getGenericInterfaces()) {
            check(out, name + " implements", i);
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                check(out, name + "." + f.getName(), f.getGenericType());
            }
        }
        List<Executable> executables = new ArrayList<>();
        executables.addAll(List.of(type.getDeclaredConstructors()));
        executables.addAll(List.of(type.getDeclaredMethods()));
        for (Executable e : executables) {
            if (!visible(e.getModifiers()) || e.isSynthetic()) {
                continue;
            }
            String member = name + "." + (e instanceof Constructor<?> ? "<init>" : e.getName())
                    + (e.getParameterCount() == 0 ? "()" : "(...)");
            if (e instanceof Method m) {
                check(out, member, m.getGenericReturnType());
            }
            for (Type p : e.getGenericParameterTypes()) {
                check(out, member + " parameter", p);
            }
            for (Type x : e.getGenericExceptionTypes()) {
                if (mentions(x)) {
                    out.add(member + " throws " + x.getTypeName());
                }
            }
        }
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                check(out, name + " component " + c.getName(), c.getGenericType());
            }
        }
        return out;
    }

    private static void check(List<String> out, String where, Type type) {
        if (type != null && mentions(type)) {
            out.add(where + ": " + type.getTypeName());
        }
    }

    private static boolean mentions(Type type) {
        return mentions(type, new HashSet<>());
    }

    private static boolean mentions(Type type, Set<Type> seen) {
        if (!seen.add(type)) {
            return false;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String n = c.getName();
            return HIDDEN.stream().anyMatch(n::startsWith);
        }
        if (type instanceof ParameterizedType p) {
            if (mentions(p.getRawType(), seen) || (p.getOwnerType() != null && mentions(p.getOwnerType(), seen))) {
                return true;
            }
            return Stream.of(p.getActualTypeArguments()).anyMatch(a -> mentions(a, seen));
        }
        if (type instanceof GenericArrayType g) {
            return mentions(g.getGenericComponentType(), seen);
        }
        if (type instanceof WildcardType w) {
            return Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
                    .anyMatch(b -> mentions(b, seen));
        }
        if (type instanceof TypeVariable<?> v) {
            return Stream.of(v.getBounds()).anyMatch(b -> mentions(b, seen));
        }
        return false;
    }

    /** Public, and nested only in public classes, outside packages named {@code internal}. */
    private static boolean exported(Class<?> type) {
        if (type.getPackageName().contains(".internal") || type.isSynthetic() || type.isAnonymousClass()
                || type.isLocalClass()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every class of this module: from the jar or classes folder that holds {@link OnnxTextEncoder}. */
    static List<Class<?>> moduleClasses() {
        Path root;
        try {
            root = Path.of(OnnxTextEncoder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(f -> f.toString().endsWith(".class"))
                            .forEach(f -> names.add(root.relativize(f).toString().replace('\\', '/')));
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.endsWith(".class")) {
                            names.add(n);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            if (n.endsWith("module-info.class") || n.endsWith("package-info.class")) {
                continue;
            }
            String className = n.substring(0, n.length() - ".class".length()).replace('/', '.');
            try {
                out.add(Class.forName(className, false, OnnxTextEncoder.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot load " + className, e);
            }
        }
        return out;
    }
}
