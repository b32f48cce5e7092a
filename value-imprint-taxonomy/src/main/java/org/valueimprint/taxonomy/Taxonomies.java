package org.valueimprint.taxonomy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.valueimprint.taxonomy.TaxonomyValidationException.Problem;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and writes taxonomy files, in JSON or YAML. The format is described in {@code docs/taxonomy-format.md} and
 * by the JSON Schema shipped as the resource {@code /org/valueimprint/taxonomy/taxonomy.schema.json}.
 *
 * <pre>{@code
 * ValueTaxonomy mine = Taxonomies.load(Path.of("my-values.yaml"));
 * Files.writeString(Path.of("value-imprint.json"), Taxonomies.toJson(ValueTaxonomy.valueImprint()));
 * }</pre>
 *
 * <p>Reading is defensive, for files from anywhere: input over {@link #MAX_BYTES} is refused, as are documents nested
 * deeper than 32 levels, duplicate keys, unknown keys (except those starting with {@code x-}), and YAML aliases
 * ({@code *name}), which the YAML reader does not expand, so a "billion laughs" document cannot blow up. Every
 * reading method returns a valid taxonomy or throws {@link TaxonomyValidationException} listing every problem, with
 * the line and column of a syntax error; a failure of the underlying stream is thrown as
 * {@link TaxonomyException}.
 *
 * <p>Writing gives tidy files: keys in a fixed order, empty lists, empty descriptions and default settings omitted,
 * UTF-8, a final newline. For every taxonomy {@code t}, reading what was written for {@code t} gives a taxonomy equal
 * to {@code t}. Writing methods neither close nor buffer beyond the call: they flush the stream and leave it open.
 */
public final class Taxonomies {

    /** The largest taxonomy file read, in bytes: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;

    /** The deepest nesting of lists and objects accepted; a taxonomy file needs four levels. */
    private static final int MAX_DEPTH = 32;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_BYTES)
            .build();

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(LIMITS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(LIMITS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private static final ObjectWriter JSON_WRITER = new ObjectMapper(JSON).writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private static final ObjectWriter YAML_WRITER = new ObjectMapper(YAML).writer();

    private Taxonomies() {}

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_BYTES);
        options.setNestingDepthLimit(MAX_DEPTH);
        return options;
    }

    /**
     * A built-in taxonomy by id: {@code value-imprint} ({@link ValueTaxonomy#valueImprint()}) or {@code valueeval}
     * ({@link ValueTaxonomy#valueEval()}), ignoring case and surrounding white space.
     *
     * @throws NullPointerException if {@code id} is null
     * @throws TaxonomyException if no built-in taxonomy has that id; the message lists the ids
     */
    public static ValueTaxonomy builtIn(String id) {
        requireNonNull(id, "id");
        return switch (id.strip().toLowerCase(Locale.ROOT)) {
            case "value-imprint" -> ValueTaxonomy.valueImprint();
            case "valueeval" -> ValueTaxonomy.valueEval();
            default -> throw new TaxonomyException("no built-in taxonomy has the id \"" + id
                    + "\"; built-in: " + String.join(", ", BUILT_IN_IDS));
        };
    }

    /** The ids {@link #builtIn(String)} accepts, in a fixed order. */
    public static final List<String> BUILT_IN_IDS = List.of("value-imprint", "valueeval");

    /**
     * Reads a taxonomy file: YAML if the name ends in {@code .yaml} or {@code .yml}, JSON if it ends in {@code .json},
     * otherwise JSON if the first non-blank character is <code>{</code> and YAML if not.
     *
     * @throws NullPointerException if {@code path} is null
     * @throws TaxonomyValidationException if the file is over {@link #MAX_BYTES}, cannot be parsed or is invalid
     * @throws TaxonomyException if the file cannot be read
     */
    public static ValueTaxonomy load(Path path) {
        requireNonNull(path, "path");
        String source = path.toString();
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw tooLarge(source, size + " bytes");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = readLimited(in, source);
            }
            String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml")
                    || (!name.endsWith(".json") && !looksLikeJson(bytes));
            return parse(bytes, source, yaml);
        } catch (IOException e) {
            throw new TaxonomyException("cannot read taxonomy file " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a JSON taxonomy from a stream, which is read to its end (or to just past {@link #MAX_BYTES}) and not
     * closed.
     *
     * @param sourceName what the stream is, for messages, such as a file name
     * @throws NullPointerException if an argument is null
     * @throws TaxonomyValidationException if the input is over {@link #MAX_BYTES}, cannot be parsed or is invalid
     * @throws TaxonomyException if the stream fails
     */
    public static ValueTaxonomy readJson(InputStream in, String sourceName) {
        return read(in, sourceName, false);
    }

    /**
     * Reads a YAML taxonomy from a stream, which is read to its end (or to just past {@link #MAX_BYTES}) and not
     * closed. Only the first YAML document is allowed; aliases are refused.
     *
     * @param sourceName what the stream is, for messages, such as a file name
     * @throws NullPointerException if an argument is null
     * @throws TaxonomyValidationException if the input is over {@link #MAX_BYTES}, cannot be parsed or is invalid
     * @throws TaxonomyException if the stream fails
     */
    public static ValueTaxonomy readYaml(InputStream in, String sourceName) {
        return read(in, sourceName, true);
    }

    private static ValueTaxonomy read(InputStream in, String sourceName, boolean yaml) {
        requireNonNull(in, "in");
        requireNonNull(sourceName, "sourceName");
        try {
            return parse(readLimited(in, sourceName), sourceName, yaml);
        } catch (IOException e) {
            throw new TaxonomyException("cannot read taxonomy from " + sourceName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a taxonomy as pretty-printed UTF-8 JSON with a final newline; flushes the stream and leaves it open.
     *
     * @throws NullPointerException if an argument is null
     * @throws IOException if the stream fails
     */
    public static void writeJson(ValueTaxonomy taxonomy, OutputStream out) throws IOException {
        write(JSON_WRITER, taxonomy, out);
    }

    /**
     * Writes a taxonomy as UTF-8 YAML (block style, quotes only where needed, multi-line texts as literal blocks);
     * flushes the stream and leaves it open.
     *
     * @throws NullPointerException if an argument is null
     * @throws IOException if the stream fails
     */
    public static void writeYaml(ValueTaxonomy taxonomy, OutputStream out) throws IOException {
        write(YAML_WRITER, taxonomy, out);
    }

    /**
     * Returns a taxonomy as pretty-printed JSON with a final newline, the same text that {@link #writeJson} writes.
     *
     * @throws NullPointerException if {@code taxonomy} is null
     */
    public static String toJson(ValueTaxonomy taxonomy) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeJson(taxonomy, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void write(ObjectWriter writer, ValueTaxonomy taxonomy, OutputStream out) throws IOException {
        requireNonNull(taxonomy, "taxonomy");
        requireNonNull(out, "out");
        writer.writeValue(out, TaxonomyCodec.toTree(taxonomy));
        if (writer == JSON_WRITER) {
            out.write('\n');
        }
        out.flush();
    }

    private static byte[] readLimited(InputStream in, String source) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(source, "more than " + MAX_BYTES + " bytes");
        }
        return bytes;
    }

    private static TaxonomyValidationException tooLarge(String source, String size) {
        return new TaxonomyValidationException(source, List.of(new Problem("", "the input is " + size
                + ", over the limit of " + MAX_BYTES + " bytes (1 MiB) for a taxonomy file")));
    }

    private static boolean looksLikeJson(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8);
        return head.replace("\uFEFF", "").strip().startsWith("{");
    }

    private static ValueTaxonomy parse(byte[] bytes, String source, boolean yaml) {
        JsonNode root;
        try (JsonParser parser = (yaml ? YAML : JSON).createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw syntax(source, "line 1, column 1", "the document is empty");
            }
            root = readNode(parser, source, 0);
            if (parser.nextToken() != null) {
                throw syntax(source, where(parser.currentTokenLocation()),
                        yaml ? "only one YAML document is allowed" : "unexpected content after the end of the object");
            }
        } catch (TaxonomyValidationException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw syntax(source, where(e.getLocation()), e.getOriginalMessage());
        } catch (MarkedYAMLException e) {
            String at = e.getProblemMark() == null ? "line ?"
                    : "line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1);
            throw syntax(source, at, e.getProblem() == null ? e.getMessage() : e.getProblem());
        } catch (IOException | RuntimeException e) {
            // Malformed bytes (an invalid encoding) or a parser failure without a location.
            throw syntax(source, "line ?", "cannot parse " + (yaml ? "YAML" : "JSON") + ": " + e.getMessage());
        }
        return TaxonomyCodec.fromTree(root, source);
    }

    /** Builds the tree of the value at the parser's current token; refuses aliases, duplicate keys, deep nesting. */
    private static JsonNode readNode(JsonParser p, String source, int depth) throws IOException {
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw syntax(source, where(p.currentTokenLocation()), "YAML aliases (*" + p.getText()
                    + ") are not supported in taxonomy files: write the value out in full");
        }
        if (depth > MAX_DEPTH) {
            throw syntax(source, where(p.currentTokenLocation()), "the nesting depth exceeds the limit of " + MAX_DEPTH);
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonToken token = p.currentToken();
        if (token == null) {
            throw syntax(source, where(p.currentLocation()), "unexpected end of the document");
        }
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation at = p.currentTokenLocation();
                    p.nextToken();
                    JsonNode value = readNode(p, source, depth + 1);
                    if (object.has(key)) {
                        throw syntax(source, where(at), "duplicate key '" + key + "'");
                    }
                    object.set(key, value);
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = nodes.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readNode(p, source, depth + 1));
                }
                return array;
            }
            case VALUE_STRING:
                return nodes.textNode(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                // YAML has no quotes around "version: 1.10": keep the text as written. JSON numbers stay numbers.
                return p instanceof YAMLParser ? nodes.textNode(p.getText()) : nodes.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return nodes.booleanNode(p.getBooleanValue());
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw syntax(source, where(p.currentTokenLocation()), "unsupported value (" + token + ")");
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "line ?";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static TaxonomyValidationException syntax(String source, String at, String message) {
        return new TaxonomyValidationException(source, List.of(new Problem(at, message)));
    }
}
