package org.valueimprint.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code value-imprint taxonomy show|validate [FILE]}: shows or validates a taxonomy. */
@Command(name = "taxonomy", description = "Show or validate a value taxonomy.",
        subcommands = {TaxonomyCommand.Show.class, TaxonomyCommand.Validate.class})
final class TaxonomyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ValueImprintCommand.USAGE;
    }

    /** Shows a taxonomy: the built-in one, or a JSON/YAML file. */
    @Command(name = "show", description = "Show a taxonomy (default: the built-in Value Imprint taxonomy).")
    static final class Show implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "FILE", description = "A taxonomy file (JSON or YAML).")
        Path file;

        @Option(names = "--json", description = "Print the taxonomy as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ValueTaxonomy t = file == null ? ValueTaxonomy.valueImprint() : Taxonomies.load(file);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Taxonomies.toJson(t));
                return ValueImprintCommand.OK;
            }
            out.printf("%s %s: %s (%d values%s)%n", t.id(), t.version(), t.name(), t.size(),
                    t.multiLabel() ? ", multi-label" : "");
            for (HumanValue v : t.values()) {
                out.printf("  %-28s %-22s %s%n", v.label(), v.framework().isEmpty() ? "-" : v.framework(),
                        String.join(", ", v.groups()));
            }
            return ValueImprintCommand.OK;
        }
    }

    /** Validates a taxonomy file, listing every problem. */
    @Command(name = "validate", description = "Validate a taxonomy file; lists every problem with its location.")
    static final class Validate implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "FILE", description = "A taxonomy file (JSON or YAML).")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ValueTaxonomy t = Taxonomies.load(file);
            spec.commandLine().getOut().printf("%s: valid (%s %s, %d values)%n", file, t.id(), t.version(), t.size());
            return ValueImprintCommand.OK;
        }
    }
}
