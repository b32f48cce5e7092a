package org.valueimprint.cli;

import java.util.concurrent.Callable;
import org.valueimprint.io.DatasetFormats;
import org.valueimprint.io.PreferenceDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code value-imprint formats}: lists the dataset formats the readers know, and the containers they read. */
@Command(name = "formats", description = "List the dataset formats that can be read.")
final class FormatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(DatasetFormats.describeAll());
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("Containers: " + String.join(", ", PreferenceDatasets.containers()));
        return ValueImprintCommand.OK;
    }
}
