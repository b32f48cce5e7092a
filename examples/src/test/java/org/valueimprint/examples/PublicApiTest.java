package org.valueimprint.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.valueimprint.ValueImprintException;

/**
 * The public API's hygiene, checked from the sources of every library module: each public type in a package that
 * users import (any package not named {@code internal}) carries Javadoc, and each library jar declares a module
 * name for the module path.
 */
class PublicApiTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> LIBRARIES = List.of("value-imprint-taxonomy", "value-imprint-core",
            "value-imprint-onnx", "value-imprint-parquet", "value-imprint-train", "value-imprint-spark");
    /** A public top-level type declaration at the start of a line. */
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|static|strictfp)\\s+)*"
                    + "(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    @Test
    void everyPublicTypeOfAnApiPackageHasJavadoc() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path src : librarySources()) {
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String pkg = src.relativize(file.getParent()).toString().replace('/', '.');
                    if (pkg.contains("internal") || file.getFileName().toString().equals("package-info.java")) {
                        continue;
                    }
                    String code = Files.readString(file);
                    Matcher m = PUBLIC_TYPE.matcher(code);
                    if (m.find()) {
                        checked++;
                        if (!javadocBefore(code, m.start())) {
                            missing.add(pkg + "." + m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(missing).as("public types without Javadoc").isEmpty();
    }

    /**
     * One unchecked base: every public exception type of an API package on this module's class path (taxonomy,
     * core, onnx) extends {@link ValueImprintException}.
     */
    @Test
    void everyLibraryExceptionIsAValueImprintException() throws IOException, ClassNotFoundException {
        List<String> outside = new ArrayList<>();
        int checked = 0;
        for (Path src : librarySources()) {
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith("Exception.java")).toList()) {
                    String name = src.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                    Class<?> type;
                    try {
                        type = Class.forName(name);
                    } catch (ClassNotFoundException e) {
                        continue; // a module not on this class path (parquet, train, spark)
                    }
                    if (!java.lang.reflect.Modifier.isPublic(type.getModifiers()) || name.contains("internal")) {
                        continue;
                    }
                    checked++;
                    if (!ValueImprintException.class.isAssignableFrom(type)) {
                        outside.add(name);
                    }
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
        assertThat(outside).as("public exceptions outside ValueImprintException").isEmpty();
    }

    @Test
    void everyApiPackageHasPackageDocs() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path src : librarySources()) {
            try (Stream<Path> dirs = Files.walk(src)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    boolean hasTypes;
                    try (Stream<Path> files = Files.list(dir)) {
                        hasTypes = files.anyMatch(f -> f.toString().endsWith(".java"));
                    }
                    if (hasTypes && !Files.exists(dir.resolve("package-info.java"))) {
                        missing.add(src.relativize(dir).toString().replace('/', '.'));
                    }
                }
            }
        }
        assertThat(missing).as("packages without package-info.java").isEmpty();
    }

    @Test
    void everyLibraryDeclaresAUniqueModuleName() throws IOException {
        Set<String> names = new HashSet<>();
        Pattern property = Pattern.compile("<automatic.module.name>([^<]+)</automatic.module.name>");
        for (String module : LIBRARIES) {
            Path pom = ROOT.resolve(module).resolve("pom.xml");
            if (!Files.exists(pom)) {
                continue;
            }
            Matcher m = property.matcher(Files.readString(pom));
            assertThat(m.find()).as(module + " sets automatic.module.name").isTrue();
            assertThat(m.group(1)).matches("org\\.valueimprint(\\.[a-z][a-z0-9]*)+");
            assertThat(names.add(m.group(1))).as("unique: " + m.group(1)).isTrue();
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(4);
    }

    private static List<Path> librarySources() {
        List<Path> out = new ArrayList<>();
        for (String module : LIBRARIES) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            if (Files.isDirectory(src)) {
                out.add(src);
            }
        }
        return out;
    }

    /** Whether the text before {@code at}, skipping annotations and blank lines, ends with a Javadoc comment. */
    private static boolean javadocBefore(String code, int at) {
        String before = code.substring(0, at).stripTrailing();
        while (true) {
            int lineStart = before.lastIndexOf('\n') + 1;
            String line = before.substring(lineStart).strip();
            if (line.startsWith("@")) {
                before = before.substring(0, lineStart).stripTrailing();
                continue;
            }
            if (!line.endsWith("*/")) {
                return false;
            }
            int open = before.lastIndexOf("/*");
            return open >= 0 && before.startsWith("/**", open);
        }
    }
}
