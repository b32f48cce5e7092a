package org.valueimprint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command in-process and keeps what it printed; helpers to find bundled data and read outputs. */
final class CliRun {
    static final ObjectMapper JSON = new ObjectMapper();

    final int code;
    final String out;
    final String err;

    private CliRun(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    static CliRun run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = ValueImprintCommand.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new CliRun(code, o.toString(), e.toString());
    }

    /** A file under the repository's examples/data. */
    static Path data(String relative) {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("examples/data"))) {
            d = d.getParent();
        }
        return d.resolve("examples/data").resolve(relative);
    }

    /** The first {@code n} lines of the bundled annotated corpus, as a new gold file. */
    static Path goldFile(Path dir, int n) throws IOException {
        Path gold = dir.resolve("gold.jsonl");
        try (var lines = Files.lines(data("annotations/value-imprint-annotations.jsonl"))) {
            Files.write(gold, lines.limit(n).toList());
        }
        return gold;
    }

    /** A new, empty directory whose name ends in {@code fake-model}, which the fake provider loads. */
    static Path fakeModel(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("test-fake-model"));
    }

    /** Parses one JSON text, failing the test on bad JSON. */
    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). */
    static List<List<String>> readCsv(Path file) throws IOException {
        String s = Files.readString(file);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r') {
                // part of CRLF
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
