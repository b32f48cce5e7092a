package org.valueimprint.onnx.encoder;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The loaded models of the open encoders, one per spec (the source's {@link EncoderSource#sharingKey()} and the
 * {@link SessionSettings}), reference counted: the first encoder of a spec loads the model, later ones while it is
 * open share it, and the last one to give its share back closes it. Concurrent first loads of one spec load once (the
 * others wait for it); loads of different specs run in parallel. A failed load is not remembered: the next encoder
 * of that spec tries again.
 */
final class SharedModels {
    /** One spec: what identifies the model files, and the session settings. */
    record Key(Object source, SessionSettings settings) {
        Key {
            requireNonNull(source, "source");
            requireNonNull(settings, "settings");
        }
    }

    /** The users of one spec and, once loaded, its model. */
    private static final class Entry {
        final Key key;
        int users; // guarded by ENTRIES
        volatile LoadedModel model; // written under this entry's monitor, cleared under ENTRIES when users reach 0

        Entry(Key key) {
            this.key = key;
        }
    }

    /** One encoder's share of a loaded model; {@link #release()} gives it back (once; later calls do nothing). */
    static final class Lease {
        private final Entry entry;
        private final LoadedModel model;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Entry entry, LoadedModel model) {
            this.entry = entry;
            this.model = model;
        }

        LoadedModel model() {
            return model;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                SharedModels.release(entry);
            }
        }
    }

    private static final Map<Key, Entry> ENTRIES = new HashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private SharedModels() {}

    /**
     * A share of the model of {@code key}, loaded by {@code loader} unless an open encoder already holds it.
     *
     * @throws RuntimeException whatever {@code loader} throws
     */
    static Lease acquire(Key key, Supplier<LoadedModel> loader) {
        Entry entry;
        synchronized (ENTRIES) {
            entry = ENTRIES.computeIfAbsent(key, Entry::new);
            entry.users++;
        }
        try {
            LoadedModel model;
            synchronized (entry) {
                model = entry.model;
                if (model == null) {
                    model = loader.get();
                    LOADS.incrementAndGet();
                    entry.model = model;
                }
            }
            return new Lease(entry, model);
        } catch (RuntimeException | Error e) {
            release(entry);
            throw e;
        }
    }

    private static void release(Entry entry) {
        LoadedModel toClose = null;
        synchronized (ENTRIES) {
            entry.users--;
            if (entry.users == 0) {
                ENTRIES.remove(entry.key, entry);
                toClose = entry.model;
                entry.model = null;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /** How many models have been loaded in this JVM (not counting shares of loaded ones); for tests. */
    static int loads() {
        return LOADS.get();
    }

    /** How many open shares there are of models loaded with {@code settings}; for tests. */
    static int users(SessionSettings settings) {
        synchronized (ENTRIES) {
            int n = 0;
            for (Entry entry : ENTRIES.values()) {
                if (entry.key.settings().equals(settings)) {
                    n += entry.users;
                }
            }
            return n;
        }
    }
}
