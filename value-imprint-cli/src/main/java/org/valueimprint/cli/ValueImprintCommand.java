package org.valueimprint.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.valueimprint.audit.CheckpointException;
import org.valueimprint.classify.ModelException;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.report.InvalidReportException;
import org.valueimprint.report.OutputFileException;
import org.valueimprint.taxonomy.TaxonomyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code value-imprint} command: {@code audit}, {@code evaluate}, {@code train}, {@code compare},
 * {@code inspect}, {@code formats} and {@code taxonomy}.
 *
 * <p><b>Exit codes.</b>
 * <ul>
 *   <li>0: success.</li>
 *   <li>2: usage error: an unknown command or option, a missing or malformed argument, an output file whose
 *       extension no writer handles or that cannot be written, an output ({@code --out}, {@code --checkpoint}) that
 *       is an input or lies inside an input directory (refused before anything is written), a checkpoint
 *       directory that holds the checkpoint of another audit (other model, options or input: the message says what
 *       differs and how to start afresh), an inconsistent checkpoint, or one that cannot be used.</li>
 *   <li>3: bad input data: a dataset, gold file, taxonomy or report that cannot be read or is invalid; the message
 *       names the file, and the line when there is one.</li>
 *   <li>4: model error: a model directory that does not exist or cannot be loaded, no classifier or trainer that
 *       handles the request, or a classifier that fails while classifying ({@link ModelException}).</li>
 *   <li>{@value #OUT_OF_MEMORY}: the Java heap (or native memory for threads or buffers) ran out: one line says
 *       what ran out and what helps (more heap through {@code VALUE_IMPRINT_JAVA_OPTS=-Xmx...} for the launcher
 *       or {@code java -Xmx...}, fewer {@code --threads}, a smaller {@code --batch-size}).</li>
 *   <li>1: anything else (a bug): printed with its stack trace.</li>
 * </ul>
 * User errors (2, 3, 4) print one message and no stack trace unless {@code --verbose} is given.
 */
@Command(
        name = "value-imprint",
        scope = CommandLine.ScopeType.INHERIT, // every subcommand gets --help and --version
        mixinStandardHelpOptions = true,
        versionProvider = ValueImprintCommand.Version.class,
        description = "Audits the human values embedded in RLHF / preference datasets.",
        subcommands = {AuditCommand.class, EvaluateCommand.class, TrainCommand.class, CompareCommand.class,
            InspectCommand.class, FormatsCommand.class, TaxonomyCommand.class, ExportCommand.class})
public final class ValueImprintCommand implements Callable<Integer> {
    /** Success. */
    public static final int OK = 0;
    /** A usage error: an unknown option, a missing argument. */
    public static final int USAGE = 2;
    /** Bad input data: the message names the file and line. */
    public static final int BAD_INPUT = 3;
    /** The model could not be loaded or does not match. */
    public static final int MODEL_ERROR = 4;
    /** Memory ran out: the message says what ran out and which options help. */
    public static final int OUT_OF_MEMORY = 5;

    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    /** Runs the command with the given arguments and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command, writing to the given streams, and returns its exit code (see the class comment). Never calls
     * {@link System#exit}.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ValueImprintCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine commandLine = e.getCommandLine();
            PrintWriter w = commandLine.getErr();
            w.println("value-imprint: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
            w.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = false;
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                verbose |= p.hasMatchedOption("--verbose");
            }
            Optional<OutOfMemoryError> oom = outOfMemory(e);
            if (oom.isPresent()) {
                return reportOutOfMemory(oom.get(), commandLine.getErr(), commandLine.getCommandName(), verbose);
            }
            int code = exitCode(e);
            commandLine.getErr().println("value-imprint: " + e.getMessage());
            if (verbose || code == 1) {
                e.printStackTrace(commandLine.getErr());
            }
            return code;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            return reportOutOfMemory(e, err, "value-imprint", Arrays.asList(args).contains("--verbose"));
        }
    }

    /** The out-of-memory error that caused {@code e}, if one did. */
    private static Optional<OutOfMemoryError> outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return Optional.of(oom);
            }
        }
        return Optional.empty();
    }

    /**
     * Prints one line saying what ran out and which options help, and the stack trace only when {@code verbose};
     * returns {@link #OUT_OF_MEMORY}.
     */
    static int reportOutOfMemory(OutOfMemoryError e, PrintWriter err, String command, boolean verbose) {
        String what = e.getMessage() == null || e.getMessage().isBlank() ? "memory" : e.getMessage();
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        err.println("value-imprint: out of memory in '" + command + "' (" + what + "; the Java heap may grow to "
                + maxMb + " MB): give Java more heap (VALUE_IMPRINT_JAVA_OPTS=-Xmx4g for ./value-imprint, or "
                + "java -Xmx4g -jar value-imprint.jar), or use fewer --threads or a smaller --batch-size");
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return OUT_OF_MEMORY;
    }

    static int exitCode(Exception e) {
        if (e instanceof OutputFileException) {
            return USAGE; // an output that cannot be written, like OutputException
        }
        if (e instanceof DatasetReadException || e instanceof TaxonomyException
                || e instanceof InvalidReportException || e instanceof InvalidRecordException
                || e instanceof BadInputException || e instanceof java.io.UncheckedIOException) {
            return BAD_INPUT;
        }
        if (e instanceof ModelException) {
            return MODEL_ERROR;
        }
        if (e instanceof CheckpointException || e instanceof OutputException
                || e instanceof IllegalArgumentException) {
            return USAGE;
        }
        return 1;
    }

    /** The library version, from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ValueImprintCommand.class.getPackage().getImplementationVersion();
            return new String[] {"value-imprint " + (v == null ? "(development build)" : v)};
        }
    }
}
