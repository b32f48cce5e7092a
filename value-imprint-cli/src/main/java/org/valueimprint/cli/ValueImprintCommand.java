package org.valueimprint.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.taxonomy.TaxonomyValidationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code value-imprint} command. Exit codes: 0 success, 2 usage error, 3 bad input data (the message names the
 * file and line), 4 model error, 1 anything else. User errors print one message and no stack trace unless
 * {@code --verbose} is given.
 */
@Command(
        name = "value-imprint",
        mixinStandardHelpOptions = true,
        versionProvider = ValueImprintCommand.Version.class,
        description = "Audits the human values embedded in RLHF / preference datasets.",
        subcommands = {FormatsCommand.class, InspectCommand.class, TaxonomyCommand.class})
public final class ValueImprintCommand implements Callable<Integer> {
    /** Success. */
    public static final int OK = 0;
    /** A usage error: an unknown option, a missing argument. */
    public static final int USAGE = 2;
    /** Bad input data: the message names the file and line. */
    public static final int BAD_INPUT = 3;
    /** The model could not be loaded or does not match. */
    public static final int MODEL_ERROR = 4;

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

    /** Runs the command, writing to the given streams, and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ValueImprintCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = false;
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                verbose |= p.hasMatchedOption("--verbose");
            }
            int code = exitCode(e);
            commandLine.getErr().println("value-imprint: " + e.getMessage());
            if (verbose || code == 1) {
                e.printStackTrace(commandLine.getErr());
            }
            return code;
        });
        return cli.execute(args);
    }

    private static int exitCode(Exception e) {
        if (e instanceof DatasetReadException || e instanceof TaxonomyValidationException
                || e instanceof java.io.UncheckedIOException) {
            return BAD_INPUT;
        }
        if (e instanceof IllegalArgumentException) {
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
