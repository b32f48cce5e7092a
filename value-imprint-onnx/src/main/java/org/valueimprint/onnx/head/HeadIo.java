package org.valueimprint.onnx.head;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.valueimprint.classify.ModelException;
import org.valueimprint.train.HeadKind;

/**
 * Stores heads in a compact binary file and describes them in JSON.
 *
 * <p>The binary format, version {@value #FORMAT_VERSION}, all little-endian:
 * <pre>
 * offset  size  field
 *      0     4  magic: the ASCII bytes "VIHD"
 *      4     4  int32 format version (1)
 *      8     4  int32 kind: 1 = SOFTMAX, 2 = MLP
 *     12     4  int32 flags: bit 0 = multi-label; other bits 0
 *     16     4  int32 input dimension
 *     20     4  int32 hidden units (0 for SOFTMAX)
 *     24     4  int32 classes
 *     28     8  float64 temperature
 *     36     .  float32 tensors, row-major, in this order:
 *                 SOFTMAX: W [classes x input], b [classes]
 *                 MLP:     W1 [hidden x input], b1 [hidden], W2 [classes x hidden], b2 [classes]
 *      .     4  uint32 CRC-32 of every byte before it
 * </pre>
 * A head read back equals the head written ({@code equals}), bit for bit. {@link #read} refuses, with a
 * {@link ModelException} saying what is wrong, a stream that is not a head (wrong magic), a newer format version,
 * an unknown kind or flag, impossible shapes, a truncated file, a non-finite weight, or a checksum mismatch.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(dir.resolve("head.bin"))) {
 *     HeadIo.write(head, out);
 * }
 * Files.writeString(dir.resolve("head.json"), HeadIo.describe(head));
 * Head back;
 * try (InputStream in = Files.newInputStream(dir.resolve("head.bin"))) {
 *     back = HeadIo.read(in);
 * }
 * }</pre>
 */
public final class HeadIo {
    /** The format version written by {@link #write}. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = {'V', 'I', 'H', 'D'};
    private static final int HEADER = 36;
    private static final int MAX_DIMENSION = 1 << 20;
    private static final long MAX_PARAMETERS = 1L << 28;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HeadIo() {}

    /**
     * Writes {@code head} to {@code out} in the binary format; does not close or flush beyond what it writes.
     *
     * @throws IOException when writing fails
     */
    public static void write(Head head, OutputStream out) throws IOException {
        out.write(toBytes(head));
    }

    /**
     * Reads one head from {@code in}, consuming exactly its bytes; does not close the stream.
     *
     * @throws ModelException when the bytes are not a valid head of a known format version, with what is wrong
     * @throws IOException when reading fails
     */
    public static Head read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(HEADER);
        if (header.length < MAGIC.length && header.length > 0 && startsWithMagic(header)) {
            throw new ModelException("truncated head file: it ends after " + header.length + " bytes");
        }
        if (header.length < MAGIC.length || !startsWithMagic(header)) {
            throw new ModelException("not a Value Imprint head file: it does not start with the bytes \"VIHD\""
                    + (header.length == 0 ? " (it is empty)" : ""));
        }
        if (header.length < HEADER) {
            throw new ModelException("truncated head file: the header ends after " + header.length + " of "
                    + HEADER + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int version = h.getInt(4);
        if (version != FORMAT_VERSION) {
            throw new ModelException("head file format version " + version + " is not supported: this library reads "
                    + "version " + FORMAT_VERSION + (version > FORMAT_VERSION ? "; upgrade the library" : ""));
        }
        int kindCode = h.getInt(8);
        HeadKind kind = switch (kindCode) {
            case 1 -> HeadKind.SOFTMAX;
            case 2 -> HeadKind.MLP;
            default -> throw new ModelException("unknown head kind " + kindCode + " (known: 1 = SOFTMAX, 2 = MLP)");
        };
        int flags = h.getInt(12);
        if ((flags & ~1) != 0) {
            throw new ModelException("unknown head flags 0x" + Integer.toHexString(flags));
        }
        boolean multiLabel = (flags & 1) != 0;
        int input = h.getInt(16);
        int hidden = h.getInt(20);
        int classes = h.getInt(24);
        double temperature = h.getDouble(28);
        checkShape("input dimension", input, 1);
        checkShape("classes", classes, multiLabel ? 1 : 2);
        if (kind == HeadKind.MLP) {
            checkShape("hidden units", hidden, 1);
        } else if (hidden != 0) {
            throw new ModelException("a SOFTMAX head must have 0 hidden units, the file says " + hidden);
        }
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new ModelException("the head's temperature must be positive and finite, the file says "
                    + temperature);
        }
        long parameters = kind == HeadKind.MLP
                ? (long) hidden * input + hidden + (long) classes * hidden + classes
                : (long) classes * input + classes;
        if (parameters > MAX_PARAMETERS) {
            throw new ModelException("the head file declares " + parameters + " parameters, more than the limit of "
                    + MAX_PARAMETERS);
        }
        int payload = (int) (parameters * Float.BYTES);
        byte[] body = in.readNBytes(payload + Integer.BYTES);
        if (body.length < payload + Integer.BYTES) {
            throw new ModelException("truncated head file: expected " + (HEADER + payload + Integer.BYTES)
                    + " bytes for a " + kind + " head of " + input + " -> " + (hidden > 0 ? hidden + " -> " : "")
                    + classes + ", got " + (HEADER + body.length));
        }
        CRC32 crc = new CRC32();
        crc.update(header);
        crc.update(body, 0, payload);
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        long stored = Integer.toUnsignedLong(b.getInt(payload));
        if (stored != crc.getValue()) {
            throw new ModelException(String.format(java.util.Locale.ROOT,
                    "corrupt head file: CRC-32 is %08x, the file says %08x", crc.getValue(), stored));
        }
        b.limit(payload);
        try {
            if (kind == HeadKind.SOFTMAX) {
                float[] w = floats(b, classes * input, "W");
                float[] bias = floats(b, classes, "b");
                return SoftmaxHead.create(classes, input, w, bias, multiLabel, temperature);
            }
            float[] w1 = floats(b, hidden * input, "W1");
            float[] b1 = floats(b, hidden, "b1");
            float[] w2 = floats(b, classes * hidden, "W2");
            float[] b2 = floats(b, classes, "b2");
            return MlpHead.create(input, hidden, classes, w1, b1, w2, b2, multiLabel, temperature);
        } catch (IllegalArgumentException e) {
            throw new ModelException("invalid head file: " + e.getMessage(), e);
        }
    }

    /**
     * A JSON description of {@code head}: format and version, kind, output activation, shapes, temperature,
     * parameter count, the name and shape of each tensor in file order, and the SHA-256 (hex) of its binary form.
     * For people and for model manifests; {@link #read} does not need it.
     */
    public static String describe(Head head) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "value-imprint-head");
        root.put("formatVersion", FORMAT_VERSION);
        root.put("kind", head.kind().name());
        root.put("activation", head.multiLabel() ? "sigmoid" : "softmax");
        root.put("multiLabel", head.multiLabel());
        root.put("inputDimension", head.inputDimension());
        if (head instanceof MlpHead mlp) {
            root.put("hiddenUnits", mlp.hiddenUnits());
        }
        root.put("classes", head.classes());
        root.put("temperature", head.temperature());
        root.put("parameters", head.parameterCount());
        root.put("byteOrder", "little-endian");
        root.put("dtype", "float32");
        ArrayNode tensors = root.putArray("tensors");
        if (head instanceof MlpHead mlp) {
            tensor(tensors, "W1", mlp.hiddenUnits(), head.inputDimension());
            tensor(tensors, "b1", mlp.hiddenUnits());
            tensor(tensors, "W2", head.classes(), mlp.hiddenUnits());
            tensor(tensors, "b2", head.classes());
        } else {
            tensor(tensors, "W", head.classes(), head.inputDimension());
            tensor(tensors, "b", head.classes());
        }
        root.put("sha256", sha256(head));
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 (lower-case hex) of the binary form of {@code head}. */
    public static String sha256(Head head) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toBytes(head)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void tensor(ArrayNode tensors, String name, int... shape) {
        ObjectNode t = tensors.addObject();
        t.put("name", name);
        ArrayNode s = t.putArray("shape");
        for (int dim : shape) {
            s.add(dim);
        }
    }

    private static byte[] toBytes(Head head) {
        requireNonNull(head, "head");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + head.parameterCount() * 4 + 4);
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC);
        h.putInt(FORMAT_VERSION);
        h.putInt(head.kind() == HeadKind.SOFTMAX ? 1 : 2);
        h.putInt(head.multiLabel() ? 1 : 0);
        h.putInt(head.inputDimension());
        h.putInt(head instanceof MlpHead mlp ? mlp.hiddenUnits() : 0);
        h.putInt(head.classes());
        h.putDouble(head.temperature());
        bytes.writeBytes(h.array());
        if (head instanceof MlpHead mlp) {
            putFloats(bytes, mlp.w1View());
            putFloats(bytes, mlp.b1View());
            putFloats(bytes, mlp.w2View());
            putFloats(bytes, mlp.b2View());
        } else {
            SoftmaxHead softmax = (SoftmaxHead) head;
            putFloats(bytes, softmax.weightsView());
            putFloats(bytes, softmax.biasView());
        }
        CRC32 crc = new CRC32();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        ByteBuffer tail = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt((int) crc.getValue());
        bytes.writeBytes(tail.array());
        return bytes.toByteArray();
    }

    private static void putFloats(ByteArrayOutputStream out, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        out.writeBytes(b.array());
    }

    private static float[] floats(ByteBuffer b, int count, String name) {
        float[] out = new float[count];
        b.asFloatBuffer().get(out);
        b.position(b.position() + count * Float.BYTES);
        Weights.checkFinite(out, name);
        return out;
    }

    private static boolean startsWithMagic(byte[] header) {
        for (int i = 0; i < Math.min(MAGIC.length, header.length); i++) {
            if (header[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void checkShape(String what, int value, int min) {
        if (value < min || value > MAX_DIMENSION) {
            throw new ModelException("the head file declares " + what + " = " + value + ", outside [" + min + ", "
                    + MAX_DIMENSION + "]");
        }
    }
}
