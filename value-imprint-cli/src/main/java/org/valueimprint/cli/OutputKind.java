package org.valueimprint.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** What a command writes to an output file, chosen by the file name's extension (ignoring case). */
enum OutputKind {
    /** The JSON report (or comparison): {@code .json}. */
    JSON("JSON", ".json"),
    /** One self-contained HTML page: {@code .html}, {@code .htm}. */
    HTML("self-contained HTML", ".html", ".htm"),
    /** A Markdown summary: {@code .md}, {@code .markdown}. */
    MARKDOWN("Markdown", ".md", ".markdown"),
    /** The per-record predictions, written while the audit streams: {@code .csv}. */
    CSV("per-record predictions CSV", ".csv");

    private final String description;
    private final List<String> extensions;

    OutputKind(String description, String... extensions) {
        this.description = description;
        this.extensions = List.of(extensions);
    }

    /** What the file holds, for messages. */
    String description() {
        return description;
    }

    /**
     * The kind of {@code file} among {@code allowed}, after making sure its directory exists (creating it when
     * needed).
     *
     * @throws ParameterException (a usage error) naming the option, the file and the supported extensions when the
     *     extension is not one of {@code allowed}'s, or when the file's directory cannot be created
     */
    static OutputKind of(Path file, Set<OutputKind> allowed, CommandLine commandLine, String option) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (OutputKind k : values()) {
            if (allowed.contains(k) && k.extensions.stream().anyMatch(name::endsWith)) {
                Path dir = file.toAbsolutePath().getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    try {
                        Files.createDirectories(dir);
                    } catch (IOException e) {
                        throw new ParameterException(commandLine, option + " " + file + ": cannot create the directory "
                                + dir + " (" + e + ")");
                    }
                }
                return k;
            }
        }
        throw new ParameterException(commandLine, option + " " + file + ": unknown extension; supported: "
                + supported(allowed));
    }

    /** The supported extensions, for messages: {@code .json (JSON), .html (...)}. */
    static String supported(Set<OutputKind> allowed) {
        return java.util.Arrays.stream(values()).filter(allowed::contains)
                .map(k -> k.extensions.get(0) + " (" + k.description + ")").collect(Collectors.joining(", "));
    }
}
