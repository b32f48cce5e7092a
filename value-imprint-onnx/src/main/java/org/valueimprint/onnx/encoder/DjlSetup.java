package org.valueimprint.onnx.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Makes DJL's Hugging Face tokenizers load offline without changing JVM-wide state for longer than the load. DJL
 * 0.36 reads its settings only from environment variables or system properties of the same name
 * ({@code ai.djl.util.Utils}), with no per-call way to pass them, and reads them at two moments only:
 *
 * <ul>
 *   <li>once per class loader, when its native library is first loaded ({@code LibUtils}' static initialiser, run by
 *       the first {@code HuggingFaceTokenizer.newInstance}): {@code RUST_LIBRARY_PATH}, {@code RUST_FLAVOR}, offline
 *       mode and the cache directory the library is extracted to;
 *   <li>at every {@code HuggingFaceTokenizer.newInstance}, in {@code Ec2Utils.callHome}: offline mode and
 *       {@code OPT_OUT_TRACKING} (telemetry; otherwise it probes the EC2 metadata address once a day).
 * </ul>
 *
 * Encoding with a loaded tokenizer reads none of them. So {@link #call(Supplier)} sets, as system properties and only
 * where the user set neither the environment variable nor the property, for the duration of the tokenizer's creation
 * and under one lock (so that two loads never interleave their changes):
 *
 * <ul>
 *   <li>offline mode ({@code DJL_OFFLINE}, {@code ai.djl.offline}, or the plain {@code offline} property):
 *       {@code ai.djl.offline=true}. Offline, DJL never calls home and picks the CPU build of the native library;
 *   <li>{@code RUST_FLAVOR}: {@code cpu}, the build bundled in the tokenizers jar (otherwise DJL may look for a
 *       CUDA build to download);
 *   <li>{@code OPT_OUT_TRACKING}: {@code true} (DJL's telemetry);
 *   <li>until the native library has been loaded once, the cache directory it is extracted to
 *       ({@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}, or
 *       {@code java.io.tmpdir/.djl.ai} when the home folder is not writable): when neither variable is set and the
 *       default cannot be written, {@code DJL_CACHE_DIR} is set to a writable folder of our own under
 *       {@code java.io.tmpdir}.
 * </ul>
 *
 * Afterwards each property is put back as it was (cleared when it was absent), unless something else changed it in
 * the meantime. What cannot be avoided: while a tokenizer is being created, these properties are visible to every
 * thread of the JVM; code that reads them at that very moment (another DJL engine loading concurrently) sees them.
 */
final class DjlSetup {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static boolean nativeLoaded; // guarded by LOCK

    private DjlSetup() {}

    /**
     * Runs {@code action} (which creates a tokenizer) with DJL's offline settings in place, and restores the system
     * properties afterwards, whether it succeeds or fails.
     */
    static <T> T call(Supplier<T> action) {
        LOCK.lock();
        try {
            Map<String, String> settings = settings(!nativeLoaded);
            Map<String, String> previous = new LinkedHashMap<>();
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                previous.put(setting.getKey(), System.getProperty(setting.getKey()));
                System.setProperty(setting.getKey(), setting.getValue());
            }
            try {
                T result = action.get();
                nativeLoaded = true;
                return result;
            } finally {
                for (Map.Entry<String, String> setting : settings.entrySet()) {
                    String name = setting.getKey();
                    if (setting.getValue().equals(System.getProperty(name))) {
                        String old = previous.get(name);
                        if (old == null) {
                            System.clearProperty(name);
                        } else {
                            System.setProperty(name, old);
                        }
                    }
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** The system properties to set for one tokenizer creation, by name. */
    static Map<String, String> settings(boolean beforeNativeLoad) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (absent("DJL_OFFLINE") && absent("ai.djl.offline") && System.getProperty("offline") == null) {
            settings.put("ai.djl.offline", "true");
        }
        if (absent("RUST_FLAVOR")) {
            settings.put("RUST_FLAVOR", "cpu");
        }
        if (absent("OPT_OUT_TRACKING")) {
            settings.put("OPT_OUT_TRACKING", "true");
        }
        if (beforeNativeLoad && absent("ENGINE_CACHE_DIR") && absent("DJL_CACHE_DIR")) {
            Path home = Paths.get(System.getProperty("user.home", "."));
            Path base = Files.isWritable(home) ? home : Paths.get(System.getProperty("java.io.tmpdir"));
            if (!writable(base.resolve(".djl.ai"))) {
                Path own = Paths.get(System.getProperty("java.io.tmpdir"),
                        "value-imprint-djl-" + System.getProperty("user.name", "user"));
                if (writable(own)) {
                    settings.put("DJL_CACHE_DIR", own.toString());
                }
            }
        }
        return settings;
    }

    /** Neither an environment variable nor a system property named {@code name} is set. */
    private static boolean absent(String name) {
        String env;
        try {
            env = System.getenv(name);
        } catch (SecurityException e) {
            env = null;
        }
        String property = System.getProperty(name);
        return (env == null || env.isEmpty()) && (property == null || property.isEmpty());
    }

    /** {@code dir} exists as a writable folder, or can be created as one. */
    static boolean writable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.isDirectory(dir) && Files.isWritable(dir);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
