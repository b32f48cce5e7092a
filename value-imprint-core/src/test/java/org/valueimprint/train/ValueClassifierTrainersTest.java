package org.valueimprint.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ModelException;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * {@link ValueClassifierTrainers}: core registers no trainer, so one listed only in a child class loader (as a Spark
 * job's jar would) is found through the thread context class loader, once, and not without it.
 */
class ValueClassifierTrainersTest {
    private static final ValueTaxonomy VI = ValueTaxonomy.valueImprint();

    @TempDir
    Path dir;

    /** A trainer listed only in the child loader's service file; it trains nothing. */
    public static final class ChildTrainer implements ValueClassifierTrainer {
        @Override
        public String name() {
            return "child";
        }

        @Override
        public String description() {
            return "found through the context class loader";
        }

        @Override
        public boolean supports(TrainingRequest request) {
            return request.encoder().filter("child"::equals).isPresent();
        }

        @Override
        public TrainedModel train(TrainingRequest request, Consumer<String> log) {
            throw new UnsupportedOperationException("not used by the test");
        }
    }

    private static TrainingRequest request(String encoder) {
        return TrainingRequest.of(List.of(new GoldExample("1", "a", VI.labels().get(0)),
                new GoldExample("2", "b", VI.labels().get(1))), VI).withEncoder(encoder);
    }

    @Test
    void aTrainerInTheContextClassLoaderIsFoundOnce() throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(ValueClassifierTrainer.class.getName()), ChildTrainer.class.getName() + "\n");
        assertThat(ValueClassifierTrainers.trainers()).noneMatch(t -> t instanceof ChildTrainer);

        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader child = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                ValueClassifierTrainer.class.getClassLoader())) {
            thread.setContextClassLoader(child);
            assertThat(ValueClassifierTrainers.trainers()).filteredOn(t -> t instanceof ChildTrainer).hasSize(1);
            assertThat(ValueClassifierTrainers.named("child")).get().isInstanceOf(ChildTrainer.class);
            assertThat(ValueClassifierTrainers.forRequest(request("child"))).isInstanceOf(ChildTrainer.class);
        } finally {
            thread.setContextClassLoader(before);
        }
        assertThat(ValueClassifierTrainers.named("child")).isEmpty();
    }

    @Test
    void noTrainerForARequestIsAModelErrorNamingWhatWasFound() {
        assertThatThrownBy(() -> ValueClassifierTrainers.train(request("nothing-knows-this"), line -> { }))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("no trainer can train the encoder nothing-knows-this with a softmax head")
                .hasMessageContaining("trainers found: none (add value-imprint-onnx to the class path)");
    }
}
