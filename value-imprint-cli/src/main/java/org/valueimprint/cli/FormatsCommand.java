package org.valueimprint.cli;

import java.util.concurrent.Callable;
import org.valueimprint.io.DatasetFormats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code value-imprint formats}: lists the dataset formats the readers know. */
@Command(name = "formats", description = "List the dataset formats that can be read.")
final class FormatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(DatasetFormats.describeAll());
        return ValueImprintCommand.OK;
    }
}
