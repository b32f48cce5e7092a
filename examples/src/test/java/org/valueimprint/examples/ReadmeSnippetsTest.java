package org.valueimprint.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The README's Maven coordinates and code samples, as a new user copies them: the coordinates name artifacts the
 * BOM manages at the project's version, and every Java sample compiles against the library with only the imports a
 * user's IDE would add (the library's public packages and {@code java.nio.file.Path}).
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    @Test
    void coordinatesNameArtifactsTheBomManagesAtTheProjectVersion() throws IOException {
        String xml = blocks("xml").get(0);
        String bom = Files.readString(ROOT.resolve("value-imprint-bom/pom.xml"));
        String version = firstMatch(Files.readString(ROOT.resolve("pom.xml")), "<version>([^<]+)</version>");
        assertThat(xml).contains("<artifactId>value-imprint-bom</artifactId>", "<version>" + version + "</version>",
                "<type>pom</type>", "<scope>import</scope>");
        Set<String> used = artifacts(xml.substring(xml.indexOf("</dependencyManagement>")));
        assertThat(used).contains("value-imprint-core", "value-imprint-onnx");
        Set<String> managed = artifacts(bom.substring(bom.indexOf("<dependencyManagement>")));
        assertThat(managed).containsAll(used);
        // Every published module is in the BOM.
        Matcher modules = Pattern.compile("<module>(value-imprint-[^<]+)</module>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        int published = 0;
        while (modules.find()) {
            if (!modules.group(1).equals("value-imprint-bom")) {
                assertThat(managed).as("BOM entries").contains(modules.group(1));
                published++;
            }
        }
        assertThat(published).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyJavaSampleCompiles() throws IOException {
        List<String> samples = blocks("java");
        assertThat(samples).isNotEmpty();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("readme-samples");
        List<JavaFileObject> units = new ArrayList<>();
        StringBuilder imports = new StringBuilder("import java.nio.file.Path;\n");
        for (String pkg : publicPackages()) {
            imports.append("import ").append(pkg).append(".*;\n");
        }
        for (int i = 0; i < samples.size(); i++) {
            String source = imports + "class ReadmeSample" + i + " {\n  void run() throws Exception {\n"
                    + samples.get(i) + "\n  }\n}\n";
            units.add(new Source("ReadmeSample" + i, source));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok = compiler.getTask(null, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(),
                        "-proc:none", "-Xlint:none"),
                null, units).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertThat(errors).as("compile errors in the README's Java samples").isEmpty();
        assertThat(ok).isTrue();
    }

    /** The packages with types of core, taxonomy and onnx that a user imports (none named internal). */
    private static Set<String> publicPackages() throws IOException {
        Set<String> packages = new LinkedHashSet<>();
        for (String module : List.of("value-imprint-taxonomy", "value-imprint-core", "value-imprint-onnx")) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            try (var files = Files.walk(src)) {
                files.filter(p -> p.toString().endsWith(".java")
                                && !p.getFileName().toString().equals("package-info.java"))
                        .map(p -> src.relativize(p.getParent()).toString().replace('/', '.'))
                        .filter(p -> !p.contains("internal"))
                        .forEach(packages::add);
            }
        }
        return packages;
    }

    private static List<String> blocks(String language) throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            // the Spark sample needs Spark on the class path: value-imprint-spark's ReadmeSparkSampleTest compiles it
            if (m.group(1).equals(language) && !m.group(2).contains("SparkValueAuditor")) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    private static Set<String> artifacts(String xml) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = ARTIFACT.matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String firstMatch(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text.replaceAll("(?s)<parent>.*?</parent>", ""));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String name, String code) {
            super(URI.create("string:///" + name + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
