package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./value-imprint} launcher, run with a stand-in {@code mvn} that talks the way Maven 3.8 does (ANSI
 * resets even under {@code -q -Dstyle.color=never}): what the user sees carries no escape codes.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherTest {
    @Test
    void buildMessagesCarryNoAnsiEscapes(@TempDir Path dir) throws IOException, InterruptedException {
        Path launcher = dir.resolve("value-imprint");
        Files.copy(Path.of("..", "value-imprint"), launcher);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\n"
                + "printf '\\033[0m\\033[0m[ERROR] \\033[1;31mcompilation failed\\033[m\\n'\n"
                + "printf '\\033[0m\\033[0m' >&2\nexit 1\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out).contains("[ERROR] compilation failed", "the build failed").doesNotContain("\u001b");
    }
}
