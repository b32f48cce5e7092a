package org.valueimprint.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.valueimprint.classify.ValueClassifier;

/**
 * The classifiers loaded in this JVM (an executor, or the driver in local mode): one per {@link ClassifierLoader#key()
 * key}, loaded lazily by the first task that needs it (the others wait for it), shared by every task afterwards, and
 * closed when the JVM shuts down. Thread-safe.
 */
final class ExecutorClassifiers {
    private static final ConcurrentHashMap<String, ValueClassifier> LOADED = new ConcurrentHashMap<>();
    private static volatile boolean hookAdded;

    private ExecutorClassifiers() {}

    /** The shared classifier of this loader, loading it on first use. */
    static ValueClassifier get(ClassifierLoader loader) {
        ValueClassifier c = LOADED.get(loader.key());
        if (c != null) {
            return c;
        }
        addShutdownHook();
        return LOADED.computeIfAbsent(loader.key(), k -> loader.load());
    }

    private static synchronized void addShutdownHook() {
        if (hookAdded) {
            return;
        }
        hookAdded = true;
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorClassifiers::closeAll, "value-imprint-classifiers"));
    }

    private static void closeAll() {
        List<ValueClassifier> all = new ArrayList<>(LOADED.values());
        LOADED.clear();
        for (ValueClassifier c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // shutting down: nothing more to do with it
            }
        }
    }
}
