package org.valueimprint.onnx.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Makes DJL's Hugging Face tokenizers run offline, before their native library is first loaded. DJL reads its
 * settings from environment variables or system properties of the same name ({@code ai.djl.util.Utils}); this sets
 * a system property only where the user set neither:
 *
 * <ul>
 *   <li>offline mode ({@code DJL_OFFLINE}, {@code ai.djl.offline}, or the plain {@code offline} property):
 *       {@code ai.djl.offline=true}. Offline, DJL never calls home and picks the CPU build of the native library;
 *   <li>{@code RUST_FLAVOR}: {@code cpu}, the build bundled in the tokenizers jar (otherwise DJL may look for a
 *       CUDA build to download);
 *   <li>{@code OPT_OUT_TRACKING}: {@code true} (DJL's telemetry);
 *   <li>the cache directory the native library is extracted to ({@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR},
 *       else {@code ~/.djl.ai}, or {@code java.io.tmpdir/.djl.ai} when the home folder is not writable): when neither
 *       variable is set and the default cannot be written, {@code DJL_CACHE_DIR} is set to a writable folder of our
 *       own under {@code java.io.tmpdir}.
 * </ul>
 */
final class DjlSetup {
    private static boolean done;

    private DjlSetup() {}

    /** Applies the settings once; later calls do nothing. */
    static synchronized void ensureOffline() {
        if (done) {
            return;
        }
        if (absent("DJL_OFFLINE") && absent("ai.djl.offline") && System.getProperty("offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (absent("RUST_FLAVOR")) {
            System.setProperty("RUST_FLAVOR", "cpu");
        }
        if (absent("OPT_OUT_TRACKING")) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (absent("ENGINE_CACHE_DIR") && absent("DJL_CACHE_DIR")) {
            Path home = Paths.get(System.getProperty("user.home", "."));
            Path base = Files.isWritable(home) ? home : Paths.get(System.getProperty("java.io.tmpdir"));
            if (!writable(base.resolve(".djl.ai"))) {
                Path own = Paths.get(System.getProperty("java.io.tmpdir"),
                        "value-imprint-djl-" + System.getProperty("user.name", "user"));
                if (writable(own)) {
                    System.setProperty("DJL_CACHE_DIR", own.toString());
                }
            }
        }
        done = true;
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
