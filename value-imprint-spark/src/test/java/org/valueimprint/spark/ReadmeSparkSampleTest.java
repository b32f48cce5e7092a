package org.valueimprint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** The README's Spark sample compiles as written, with a {@code SparkSession spark} in scope. */
class ReadmeSparkSampleTest {
    @Test
    void theReadmeSparkSampleCompiles() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        String sample = null;
        while (m.find()) {
            if (m.group(1).contains("SparkValueAuditor")) {
                sample = m.group(1);
            }
        }
        assertThat(sample).as("the README's Spark sample").isNotNull();
        String source = "import org.valueimprint.io.*;\nimport org.valueimprint.report.*;\n"
                + "import org.valueimprint.spark.*;\n"
                + "class ReadmeSparkSample {\n  void run(org.apache.spark.sql.SparkSession spark) throws Exception {\n"
                + sample + "\n  }\n}\n";
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///ReadmeSparkSample.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("readme-spark");
        boolean ok = ToolProvider.getSystemJavaCompiler().getTask(null, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"),
                null, List.of(unit)).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertThat(errors).isEmpty();
        assertThat(ok).isTrue();
    }
}
