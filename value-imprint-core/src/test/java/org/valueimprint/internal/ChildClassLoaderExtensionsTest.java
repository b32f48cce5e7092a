package org.valueimprint.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.audit.KeywordClassifier;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifierProvider;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.DatasetFormats;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.RecordContext;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Extensions that live in a child class loader (as with Spark {@code --jars} or a web application): a dataset format
 * and a classifier provider are compiled at test time into a temporary directory with their
 * {@code META-INF/services} files, and are found only while a {@link URLClassLoader} over that directory is the
 * thread context class loader.
 */
class ChildClassLoaderExtensionsTest {
    private static final String FORMAT_SOURCE = """
            package qa;

            import com.fasterxml.jackson.databind.JsonNode;
            import java.util.function.Consumer;
            import org.valueimprint.data.Conversation;
            import org.valueimprint.data.PreferencePair;
            import org.valueimprint.data.PreferenceRecord;
            import org.valueimprint.io.DatasetFormat;
            import org.valueimprint.io.InvalidRecordException;
            import org.valueimprint.io.JsonFields;
            import org.valueimprint.io.RecordContext;

            public final class QaVotesFormat implements DatasetFormat {
                public String name() { return "qa-votes"; }
                public String description() { return "{question, upvoted, downvoted} (a child-loader test)"; }
                public int detect(JsonNode record) {
                    return JsonFields.hasAll(record, "question", "upvoted", "downvoted") ? 100 : 0;
                }
                public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
                        throws InvalidRecordException {
                    out.accept(PreferencePair.of(context.recordId(), context.source(),
                            Conversation.user(JsonFields.requireText(record, "question")),
                            Conversation.assistant(JsonFields.requireText(record, "upvoted")),
                            Conversation.assistant(JsonFields.requireText(record, "downvoted"))));
                }
            }
            """;

    private static final String PROVIDER_SOURCE = """
            package qa;

            import org.valueimprint.classify.ClassifierSpec;
            import org.valueimprint.classify.ValueClassifier;
            import org.valueimprint.classify.ValueClassifierProvider;

            public final class QaKeywordsProvider implements ValueClassifierProvider {
                public String name() { return "qa-keywords"; }
                public String description() { return "keyword rules from a child loader"; }
                public boolean supports(ClassifierSpec spec) {
                    return "qa-keywords".equals(spec.options().get("provider"));
                }
                public ValueClassifier create(ClassifierSpec spec) {
                    return new org.valueimprint.audit.KeywordClassifier();
                }
            }
            """;

    private static final String QA_LINES = """
            {"question": "How do I apologise?", "upvoted": "Say sorry and mean it.", "downvoted": "Never."}
            {"question": "Is tea healthy?", "upvoted": "In moderation, yes.", "downvoted": "No idea."}
            """;

    @TempDir
    static Path extension;

    @BeforeAll
    static void compileExtension() throws IOException {
        Path src = extension.resolve("src/qa");
        Files.createDirectories(src);
        Files.writeString(src.resolve("QaVotesFormat.java"), FORMAT_SOURCE);
        Files.writeString(src.resolve("QaKeywordsProvider.java"), PROVIDER_SOURCE);
        Path classes = extension.resolve("classes");
        Files.createDirectories(classes.resolve("META-INF/services"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK compiler").isNotNull();
        String classPath = String.join(java.io.File.pathSeparator, location(DatasetFormat.class),
                location(KeywordClassifier.class), location(ValueTaxonomy.class), location(JsonNode.class),
                location(TreeNode.class));
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", classPath,
                src.resolve("QaVotesFormat.java").toString(), src.resolve("QaKeywordsProvider.java").toString());
        assertThat(rc).as("javac exit status").isZero();
        Files.writeString(classes.resolve("META-INF/services/org.valueimprint.io.DatasetFormat"),
                "qa.QaVotesFormat\n");
        Files.writeString(classes.resolve("META-INF/services/org.valueimprint.classify.ValueClassifierProvider"),
                "# a comment, as service files may have\nqa.QaKeywordsProvider\n");
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URLClassLoader child() throws IOException {
        return new URLClassLoader(new URL[] {extension.resolve("classes").toUri().toURL()},
                ChildClassLoaderExtensionsTest.class.getClassLoader());
    }

    private static <T> T withContextLoader(ClassLoader loader, Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static List<PreferenceRecord> read(Path file, ReadOptions options) {
        try (PreferenceDataset ds = PreferenceDatasets.open(file, options)) {
            List<PreferenceRecord> out = new ArrayList<>();
            ds.forEach(out::add);
            assertThat(ds.formats()).containsEntry(file.toString(), "qa-votes");
            return out;
        }
    }

    @Test
    void aFormatInTheContextLoaderIsFoundByNameAndByDetection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("votes.jsonl");
        Files.writeString(file, QA_LINES);
        try (URLClassLoader child = child()) {
            withContextLoader(child, () -> {
                assertThat(DatasetFormats.names()).contains("qa-votes");
                assertThat(DatasetFormats.byName("qa-votes")).get()
                        .extracting(f -> f.getClass().getClassLoader()).isSameAs(child);
                assertThat(DatasetFormats.describeAll()).contains("qa-votes");
                List<PreferenceRecord> named = read(file, ReadOptions.builder().format("qa-votes").build());
                List<PreferenceRecord> detected = read(file, ReadOptions.defaults());
                assertThat(named).hasSize(2).isEqualTo(detected);
                assertThat(((PreferencePair) named.get(0)).chosen()).isEqualTo(Conversation.assistant("Say sorry and mean it."));
                return null;
            });
        }
    }

    @Test
    void withoutTheChildLoaderTheFormatIsUnknownBeforeAndAfter(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("votes.jsonl");
        Files.writeString(file, QA_LINES);
        ReadOptions named = ReadOptions.builder().format("qa-votes").build();
        assertThat(DatasetFormats.byName("qa-votes")).isEmpty();
        assertThatThrownBy(() -> read(file, named)).isInstanceOf(DatasetReadException.class)
                .hasMessageContaining("unknown format \"qa-votes\"").hasMessageContaining("votes.jsonl");
        try (URLClassLoader child = child()) {
            withContextLoader(child, () -> assertThat(DatasetFormats.byName("qa-votes")).isPresent());
        }
        // The look-up made with the child loader is not cached for other loaders.
        assertThat(DatasetFormats.byName("qa-votes")).isEmpty();
        assertThat(withContextLoader(null, () -> DatasetFormats.byName("qa-votes"))).isEmpty();
    }

    @Test
    void aProviderSeenByBothLoadersIsListedOnce() throws Exception {
        // The child delegates to the test class loader, which already lists TestPairFormat as a service.
        try (URLClassLoader child = child()) {
            List<String> names = withContextLoader(child, DatasetFormats::names);
            assertThat(names).containsOnlyOnce("test-pair", "qa-votes");
            assertThat(names).doesNotHaveDuplicates();
        }
    }

    @Test
    void aChildFirstLoaderWithItsOwnCopyOfTheLibraryIsPassedOver() throws Exception {
        // This loader does not delegate to the test class loader: its qa.QaVotesFormat implements its own copy of
        // DatasetFormat, which is not this library's, so it is not a format here; nothing fails.
        URL[] urls = {extension.resolve("classes").toUri().toURL(), Path.of(location(DatasetFormat.class)).toUri()
                .toURL()};
        try (URLClassLoader isolated = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            List<String> names = withContextLoader(isolated, DatasetFormats::names);
            assertThat(names).doesNotContain("qa-votes").contains("hh-rlhf", "test-pair");
        }
    }

    @Test
    void aClassifierProviderInTheContextLoaderIsFound() throws Exception {
        ClassifierSpec spec = new ClassifierSpec(Optional.empty(), PredictionPolicy.defaults(),
                Map.of("provider", "qa-keywords"));
        assertThat(ValueClassifiers.provider("qa-keywords")).isEmpty();
        assertThatThrownBy(() -> ValueClassifiers.load(spec)).isInstanceOf(ModelException.class)
                .hasMessageContaining("no classifier provider can load a default model");
        try (URLClassLoader child = child()) {
            withContextLoader(child, () -> {
                assertThat(ValueClassifiers.providers()).extracting(ValueClassifierProvider::name)
                        .containsOnlyOnce("qa-keywords");
                try (ValueClassifier c = ValueClassifiers.load(spec)) {
                    assertThat(c.info().id()).isEqualTo("keyword-test-1");
                    assertThat(c.classify("I feel sad").top().id()).isEqualTo(c.taxonomy().values().get(6).id());
                }
                return null;
            });
        }
    }

    @Test
    void aProviderObjectIsUsedForOneCallWithoutAnyServiceFile() {
        ClassifierSpec spec = new ClassifierSpec(Optional.empty(), PredictionPolicy.defaults(),
                Map.of("provider", "inline"));
        ValueClassifierProvider inline = new ValueClassifierProvider() {
            @Override
            public String name() {
                return "inline";
            }

            @Override
            public String description() {
                return "an object handed to the call";
            }

            @Override
            public boolean supports(ClassifierSpec s) {
                return "inline".equals(s.options().get("provider"));
            }

            @Override
            public ValueClassifier create(ClassifierSpec s) {
                return new KeywordClassifier();
            }
        };
        try (ValueClassifier c = ValueClassifiers.load(spec, List.of(inline))) {
            assertThat(c.info().id()).isEqualTo("keyword-test-1");
        }
        // Scoped to that call: nothing was registered.
        assertThat(ValueClassifiers.provider("inline")).isEmpty();
        assertThatThrownBy(() -> ValueClassifiers.load(spec)).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> ValueClassifiers.load(spec, java.util.Arrays.asList(inline, null)))
                .isInstanceOf(NullPointerException.class).hasMessage("providers[1]");
        assertThatThrownBy(() -> ValueClassifiers.load(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("spec");
    }

    @Test
    void aFormatObjectInTheOptionsIsUsedWithoutAnyServiceFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("votes.jsonl");
        Files.writeString(file, QA_LINES, StandardCharsets.UTF_8);
        DatasetFormat qa = new DatasetFormat() {
            @Override
            public String name() {
                return "qa-votes";
            }

            @Override
            public String description() {
                return "inline";
            }

            @Override
            public int detect(JsonNode record) {
                return 0;
            }

            @Override
            public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
                    throws InvalidRecordException {
                out.accept(PreferencePair.of(context.recordId(), context.source(),
                        Conversation.user(JsonFields.requireText(record, "question")),
                        Conversation.assistant(JsonFields.requireText(record, "upvoted")),
                        Conversation.assistant(JsonFields.requireText(record, "downvoted"))));
            }
        };
        ReadOptions options = ReadOptions.builder().format(qa).build();
        assertThat(options.format()).contains("qa-votes");
        assertThat(options.customFormat()).containsSame(qa);
        assertThat(read(file, options)).hasSize(2);
        // Naming a format afterwards replaces the object; toBuilder keeps it.
        assertThat(options.toBuilder().build().customFormat()).containsSame(qa);
        assertThat(options.toBuilder().format("hh-rlhf").build().customFormat()).isEmpty();
    }
}
