package org.valueimprint.train;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.valueimprint.classify.ModelException;

/**
 * Finds {@link ValueClassifierTrainer}s and trains through them, as {@link org.valueimprint.classify.ValueClassifiers}
 * finds classifier providers. Trainers are looked up on every call with {@link ServiceLoader}, first through the
 * calling thread's context class loader (so a trainer in a child class loader, such as a Spark or Flink job's own
 * jars, is found), then through the library's own class loader; a class found through both counts once.
 *
 * <pre>{@code
 * TrainedModel model = ValueClassifierTrainers.train(TrainingRequest.of(examples, taxonomy), System.err::println);
 * }</pre>
 */
public final class ValueClassifierTrainers {
    private ValueClassifierTrainers() {}

    /** Every trainer found, context class loader first, each class once. */
    public static List<ValueClassifierTrainer> trainers() {
        List<ValueClassifierTrainer> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader library = ValueClassifierTrainer.class.getClassLoader();
        for (ClassLoader loader : context == null || context == library ? List.of(library)
                : List.of(context, library)) {
            for (ValueClassifierTrainer t : ServiceLoader.load(ValueClassifierTrainer.class, loader)) {
                if (seen.add(t.getClass().getName())) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** The trainer with this {@link ValueClassifierTrainer#name() name}, if one is found. */
    public static Optional<ValueClassifierTrainer> named(String name) {
        requireNonNull(name, "name");
        return trainers().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The first trainer that supports the request.
     *
     * @throws ModelException when none does, naming the trainers found
     */
    public static ValueClassifierTrainer forRequest(TrainingRequest request) {
        requireNonNull(request, "request");
        List<ValueClassifierTrainer> found = trainers();
        for (ValueClassifierTrainer t : found) {
            if (t.supports(request)) {
                return t;
            }
        }
        throw new ModelException("no trainer can train " + request.encoder().map(e -> "the encoder " + e)
                .orElse("the default encoder") + " with a " + request.head().key() + " head on the taxonomy "
                + request.taxonomy().id() + "; trainers found: " + (found.isEmpty()
                        ? "none (add value-imprint-onnx to the class path)"
                        : found.stream().map(t -> t.name() + " (" + t.description() + ")")
                                .collect(Collectors.joining(", "))));
    }

    /**
     * Trains with {@link #forRequest the first trainer that supports the request}.
     *
     * @param log told one line at a time what training is doing
     * @throws ModelException when no trainer supports the request, or as the trainer's
     *     {@link ValueClassifierTrainer#train train} does
     * @throws IllegalArgumentException as the trainer's {@code train} does
     */
    public static TrainedModel train(TrainingRequest request, Consumer<String> log) {
        requireNonNull(log, "log");
        return forRequest(request).train(request, log);
    }
}
