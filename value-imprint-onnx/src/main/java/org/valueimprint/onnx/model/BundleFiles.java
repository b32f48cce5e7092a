package org.valueimprint.onnx.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.encoder.EncoderSource;

/** The files of a model bundle: in a directory or in a class-path folder. */
abstract class BundleFiles {
    abstract String describe(String name);

    abstract boolean exists(String name);

    abstract byte[] read(String name);

    /** The encoder whose {@code model.onnx} and {@code tokenizer.json} lie in a sub-folder of the bundle. */
    abstract EncoderSource encoderSource(String folder);

    static BundleFiles directory(Path dir) {
        return new BundleFiles() {
            @Override
            String describe(String name) {
                return dir.resolve(name).toString();
            }

            @Override
            boolean exists(String name) {
                return Files.isRegularFile(dir.resolve(name));
            }

            @Override
            byte[] read(String name) {
                Path p = dir.resolve(name);
                if (!Files.isRegularFile(p)) {
                    throw new ModelException(p + " is missing from the model bundle");
                }
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new ModelException("cannot read " + p + ": " + e.getMessage(), e);
                }
            }

            @Override
            EncoderSource encoderSource(String folder) {
                return EncoderSource.directory(dir.resolve(folder));
            }
        };
    }

    static BundleFiles classpath(String prefix) {
        ClassLoader loader = BundleFiles.class.getClassLoader();
        return new BundleFiles() {
            @Override
            String describe(String name) {
                return "classpath:" + prefix + name;
            }

            @Override
            boolean exists(String name) {
                return loader.getResource(prefix + name) != null;
            }

            @Override
            byte[] read(String name) {
                try (InputStream in = loader.getResourceAsStream(prefix + name)) {
                    if (in == null) {
                        throw new ModelException(describe(name) + " is missing from the class path");
                    }
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            EncoderSource encoderSource(String folder) {
                return EncoderSource.classpath(prefix + folder + "/" + EncoderSource.MODEL_FILE,
                        prefix + folder + "/" + EncoderSource.TOKENIZER_FILE, loader);
            }
        };
    }
}
