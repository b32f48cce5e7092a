package org.valueimprint.onnx.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.encoder.EncoderSource;

/**
 * The files of a model bundle: in a directory, in a class-path folder, or in memory.
 *
 * <p>Every name, whether fixed ({@code manifest.json}) or taken from the manifest, is resolved inside the bundle: an
 * absolute name, a name that leaves the bundle with {@code ..}, or (in a directory) a symbolic link whose target lies
 * outside the bundle is refused with a {@link ModelException}, before anything is read. Each file's size is checked
 * against a cap for its kind before it is read, so a manifest cannot make the loader read an arbitrary file or
 * exhaust the heap.
 */
abstract class BundleFiles {
    /** The largest encoder {@code model.onnx} in a bundle's {@code encoder/} folder (2 GB, ONNX's protobuf limit). */
    static final long MAX_ENCODER_BYTES = Integer.MAX_VALUE - 8L;
    /** The largest {@code tokenizer.json} in a bundle's {@code encoder/} folder (64 MiB). */
    static final long MAX_TOKENIZER_BYTES = 64L << 20;

    abstract String describe(String name);

    abstract boolean exists(String name);

    /**
     * Reads a file of the bundle.
     *
     * @param name its name inside the bundle ({@code /}-separated)
     * @param what what it is, for messages ("head file")
     * @param maxBytes the most bytes it may have; a larger file is refused before it is read
     * @throws ModelException when the name leaves the bundle, the file is missing or too large, or cannot be read
     */
    abstract byte[] read(String name, String what, long maxBytes);

    /** The encoder whose {@code model.onnx} and {@code tokenizer.json} lie in a sub-folder of the bundle. */
    abstract EncoderSource encoderSource(String folder);

    /** A checked, normalised name, or a {@link ModelException} naming the bundle and the name. */
    static String checkedName(String bundle, String name) {
        try {
            return ModelManifest.checkFileName(name);
        } catch (IllegalArgumentException e) {
            throw new ModelException(bundle + ": the file name " + e.getMessage() + "; refused");
        }
    }

    static String tooLarge(String where, String what, long size, long maxBytes) {
        return where + " is " + size + " bytes, more than the " + maxBytes + " a " + what + " may have; refused";
    }

    static BundleFiles directory(Path bundle) {
        Path dir = bundle.toAbsolutePath().normalize();
        return new BundleFiles() {
            /** The path of a name inside the bundle, refusing escapes by name or by symbolic link. */
            private Path resolve(String name) {
                Path p = dir.resolve(checkedName(dir.toString(), name)).normalize();
                if (!p.startsWith(dir)) {
                    throw new ModelException(dir + ": the file name \"" + name + "\" leaves the bundle; refused");
                }
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Path real = p.toRealPath();
                        if (!real.startsWith(dir.toRealPath())) {
                            throw new ModelException(p + " is a link that leads out of the model bundle " + dir
                                    + "; refused");
                        }
                    } catch (IOException e) {
                        throw new ModelException("cannot resolve " + p + ": " + e.getMessage(), e);
                    }
                }
                return p;
            }

            @Override
            String describe(String name) {
                return dir.resolve(name).toString();
            }

            @Override
            boolean exists(String name) {
                return Files.isRegularFile(resolve(name));
            }

            @Override
            byte[] read(String name, String what, long maxBytes) {
                Path p = resolve(name);
                if (!Files.isRegularFile(p)) {
                    throw new ModelException(p + " is missing from the model bundle");
                }
                try {
                    long size = Files.size(p);
                    if (size > maxBytes) {
                        throw new ModelException(tooLarge(p.toString(), what, size, maxBytes));
                    }
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new ModelException("cannot read " + p + ": " + e.getMessage(), e);
                }
            }

            @Override
            EncoderSource encoderSource(String folder) {
                Path encoder = resolve(folder);
                for (String file : new String[] {EncoderSource.MODEL_FILE, EncoderSource.TOKENIZER_FILE}) {
                    Path p = resolve(folder + "/" + file);
                    long max = file.equals(EncoderSource.MODEL_FILE) ? MAX_ENCODER_BYTES : MAX_TOKENIZER_BYTES;
                    try {
                        if (Files.isRegularFile(p) && Files.size(p) > max) {
                            throw new ModelException(tooLarge(p.toString(), "encoder " + file, Files.size(p), max));
                        }
                    } catch (IOException e) {
                        throw new ModelException("cannot read " + p + ": " + e.getMessage(), e);
                    }
                }
                return EncoderSource.directory(encoder);
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
                return loader.getResource(prefix + checkedName("classpath:" + prefix, name)) != null;
            }

            @Override
            byte[] read(String name, String what, long maxBytes) {
                String clean = checkedName("classpath:" + prefix, name);
                try (InputStream in = loader.getResourceAsStream(prefix + clean)) {
                    if (in == null) {
                        throw new ModelException(describe(clean) + " is missing from the class path");
                    }
                    byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8L));
                    if (bytes.length > maxBytes) {
                        throw new ModelException(describe(clean) + " is more than the " + maxBytes + " bytes a "
                                + what + " may have; refused");
                    }
                    return bytes;
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
            byte[] read(String file, String what, long maxBytes) {
                byte[] bytes = files.get(checkedName(name, file));
                if (bytes == null) {
                    throw new ModelException(describe(file) + " (" + what + ") is missing from the model");
                }
                if (bytes.length > maxBytes) {
                    throw new ModelException(tooLarge(describe(file), what, bytes.length, maxBytes));
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
