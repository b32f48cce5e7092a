package org.valueimprint.onnx.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.encoder.EncoderSource;

/** The files of a model bundle: in a directory, in a class-path folder, or in memory. */
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

    /**
     * Files held in memory, as a trained model that has not been saved holds them.
     *
     * @param name how the files are named in messages, such as {@code in-memory model m1}
     * @param files each file's bytes by its name in the bundle; not copied, so the caller must not change them
     * @param encoderDirectory the directory of the encoder's {@code model.onnx} and {@code tokenizer.json}, for a
     *     bundle that carries its encoder; null when it names a known encoder
     */
    static BundleFiles memory(String name, Map<String, byte[]> files, Path encoderDirectory) {
        return new BundleFiles() {
            @Override
            String describe(String file) {
                return name + ": " + file;
            }

            @Override
            boolean exists(String file) {
                return files.containsKey(file);
            }

            @Override
            byte[] read(String file) {
                byte[] bytes = files.get(file);
                if (bytes == null) {
                    throw new ModelException(describe(file) + " is missing from the model");
                }
                return bytes.clone();
            }

            @Override
            EncoderSource encoderSource(String folder) {
                if (encoderDirectory == null) {
                    throw new ModelException(name + " carries no encoder of its own");
                }
                return EncoderSource.directory(encoderDirectory);
            }
        };
    }
}
