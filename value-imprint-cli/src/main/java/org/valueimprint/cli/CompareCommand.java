package org.valueimprint.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.valueimprint.data.Side;
import org.valueimprint.report.AuditComparison;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.ComparisonJson;
import org.valueimprint.report.HtmlReport;
import org.valueimprint.report.InvalidReportException;
import org.valueimprint.report.MarkdownReport;
import org.valueimprint.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code value-imprint compare}: sets the value profiles of two or more JSON audit reports side by side
 * ({@link AuditComparison}): per value each report's share with its interval and its difference from the first
 * report, a chi-square test of the whole distribution, and the Jensen-Shannon divergence of each pair; for reports of
 * a multi-label taxonomy also, per value, the share of texts carrying it ({@link AuditComparison#multiLabel()}).
 * Markdown to standard output, or {@code --out} FILE as {@code .json}, {@code .md} or {@code .html}.
 *
 * <p>Reports are named by their file names without {@code .json} (their paths when two file names are the same),
 * or by {@code --names}. A report that cannot be read, or reports that cannot be compared (other taxonomies, a
 * multi-label report with a single-label one, a side that one of them lacks), are bad input (exit code 3).
 */
@Command(name = "compare", sortOptions = false,
        description = "Compare the value profiles of two or more JSON audit reports (the first is the baseline).")
final class CompareCommand implements Callable<Integer> {
    private static final Set<OutputKind> KINDS = EnumSet.of(OutputKind.JSON, OutputKind.MARKDOWN, OutputKind.HTML);

    @Parameters(arity = "2..*", paramLabel = "REPORT.json", description = "JSON reports written by 'audit --out'.")
    List<Path> reports;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the comparison to FILE: .json, .md or .html "
            + "(default: Markdown to standard output).")
    Path out;

    @Option(names = "--side", paramLabel = "SIDE", defaultValue = "chosen",
            description = "The side to compare: chosen (default), rejected or prompt.")
    String side;

    @Option(names = "--names", paramLabel = "NAMES", split = ",",
            description = "A name per report, comma-separated, for tables and charts (default: the file names).")
    List<String> names;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (out != null) {
            OutputPaths.refuseOverlap(reports, Map.of(out, "--out"), false);
        }
        OutputKind kind = out == null ? null : OutputKind.of(out, KINDS, spec.commandLine(), "--out");
        if (out != null) {
            OutputPaths.requireWritable(out, "--out");
        }
        Side compared = side();
        List<String> labels = names();
        List<AuditReport> loaded = new ArrayList<>();
        for (Path file : reports) {
            try {
                loaded.add(ReportJson.read(file));
            } catch (IOException e) {
                throw new BadInputException("cannot read the report " + file + ": " + e, e);
            } catch (InvalidReportException e) {
                throw new BadInputException("not an audit report: " + e.getMessage(), e);
            }
        }
        AuditComparison comparison;
        try {
            comparison = AuditComparison.of(labels, loaded, compared);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("cannot compare " + reports + ": " + e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (kind == null) {
            PrintWriter w = spec.commandLine().getOut();
            w.print(MarkdownReport.render(comparison));
            w.flush();
            return ValueImprintCommand.OK;
        }
        switch (kind) {
            case JSON -> OutputException.write(out, () -> ComparisonJson.write(comparison, out));
            case MARKDOWN -> OutputException.write(out, () -> MarkdownReport.write(comparison, out));
            case HTML -> OutputException.write(out, () -> HtmlReport.write(comparison, out));
            default -> throw new IllegalStateException(kind.toString());
        }
        comparison.warnings().forEach(w -> err.println("warning: " + w));
        err.println("wrote " + out + " (" + kind.description() + ")");
        return ValueImprintCommand.OK;
    }

    private Side side() {
        for (Side s : Side.values()) {
            if (s.key().equals(side.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new ParameterException(spec.commandLine(),
                "--side must be chosen, rejected or prompt, was \"" + side + "\"");
    }

    private List<String> names() {
        if (names != null) {
            if (names.size() != reports.size()) {
                throw new ParameterException(spec.commandLine(), "--names gives " + names.size() + " names for "
                        + reports.size() + " reports");
            }
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (n.isBlank() || !seen.add(n)) {
                    throw new ParameterException(spec.commandLine(), "--names must be distinct and not blank: "
                            + names);
                }
            }
            return List.copyOf(names);
        }
        List<String> stems = new ArrayList<>();
        for (Path p : reports) {
            String name = p.getFileName() == null ? p.toString() : p.getFileName().toString();
            stems.add(name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name);
        }
        if (new HashSet<>(stems).size() == stems.size() && stems.stream().noneMatch(String::isBlank)) {
            return stems;
        }
        List<String> paths = reports.stream().map(Path::toString).toList();
        if (new HashSet<>(paths).size() != paths.size()) {
            throw new ParameterException(spec.commandLine(), "a report is given twice: " + reports);
        }
        return paths;
    }
}
