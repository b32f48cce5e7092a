package org.valueimprint.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average, for logs (timings on a shared machine are lower bounds). */
final class Load {
    private Load() {}

    /** The first three fields of {@code /proc/loadavg}, or {@code "?"} where it cannot be read. */
    static String average() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
